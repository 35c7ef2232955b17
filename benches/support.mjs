// What the benchmarks share: starting fake-github and the static server, and writing a seed file.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/// The fake-github binary the benchmarks run (`make fake-bin`'s debug build unless BENCH_FAKE_BIN names
/// another, e.g. a release build, whose own CPU time then weighs less in the figures).
export const FAKE_BIN = process.env.BENCH_FAKE_BIN ?? 'target/debug/fake-github';

/// Starts `command` and resolves once it prints its first line (fake-github prints its base URL).
export function start(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', () => resolve(child));
  });
}

/// Debian's Chromium as the benchmarks run it (headless; the fake's self-signed certificate accepted), with
/// `extraArgs` (e.g. `--host-resolver-rules` to play api.github.com).
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--ignore-certificate-errors', ...extraArgs],
  });
}

/// Opens the app at `app` and connects through its form with `token` to `repo` — on github.com, or on the
/// custom API base `api` when given — and waits for the overview's list.
export async function connect(page, { app, api, token, repo, timeout }) {
  await page.goto(app);
  // The static first screen shows at once; the app takes it over when it starts: wait for its form.
  await page.getByTestId('connect-form').waitFor();
  if (api) {
    await page.getByLabel('Custom API address').check();
    await page.getByLabel('API base URL').fill(api);
  }
  await page.getByLabel('Personal access token').fill(token);
  await page.getByLabel('Repository').fill(repo);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByTestId('recent-deployments').waitFor({ timeout });
}

/// Writes `seed` (fake-github's seed format) to a temporary file and returns its path.
export function writeSeed(seed) {
  const file = join(mkdtempSync(join(tmpdir(), 'deploydeck-bench-')), 'seed.json');
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

/// Serves a built dist/ as a CDN does: each file with its type, gzip-compressed when the browser accepts it
/// (`gzip`), 404.html for unknown paths; over HTTP/2 with TLS (`http2`: a certificate made for the run, which
/// `launchChromium` accepts), as CDNs serve it — many small modules then share one connection. Resolves to the
/// server once it listens on 127.0.0.1:`port`.
export async function serveDist(dist, port, { gzip = false, http2 = false } = {}) {
  const createServer = http2 ? await secureServer() : (await import('node:http')).createServer;
  const { readFile } = await import('node:fs/promises');
  const { join, normalize, extname } = await import('node:path');
  const { gzipSync } = await import('node:zlib');
  const types = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
    '.svg': 'image/svg+xml', '.txt': 'text/plain', '.json': 'application/json',
  };
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dist, path === '/' ? '/index.html' : path));
    let status = 200;
    let body;
    try {
      if (!file.startsWith(normalize(dist))) throw new Error('outside');
      body = await readFile(file);
    } catch {
      file = join(dist, '404.html');
      status = 404;
      body = await readFile(file);
    }
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream' };
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      if (!compressed.has(file)) compressed.set(file, gzipSync(body, { level: 9 }));
      body = compressed.get(file);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/// `createSecureServer` of node:http2 with a self-signed certificate for 127.0.0.1 (openssl), answering HTTP/1.1
/// too.
async function secureServer() {
  const { createSecureServer } = await import('node:http2');
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'deploydeck-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const { readFileSync } = await import('node:fs');
  const options = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), allowHTTP1: true };
  return (handler) => createSecureServer(options, handler);
}

/// A benchmark's run: the built app served on `appPort`, `measure(mode)` for each mode (its figures kept under
/// `key(mode)`, after any `setup` figures), then the figures written to `file` and printed under `title`.
export async function runModes({ title, file, modes, appPort, measure, key = (mode) => mode, setup }) {
  const app = await start('node', ['tests/e2e/serve-dist.mjs', 'dist', '/', String(appPort)]);
  const all = setup ? { setup } : {};
  try {
    for (const mode of modes) all[key(mode)] = await measure(mode);
  } finally {
    app.kill();
  }
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  console.log(title);
  const print = (values, indent) => {
    for (const [k, v] of Object.entries(values)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        console.log(`${indent}${k}`);
        print(v, `${indent}  `);
      } else {
        console.log(`${indent}${k.padEnd(28)} ${Array.isArray(v) ? JSON.stringify(v) : v}`);
      }
    }
  };
  print(all, ' ');
}

/// The REST quota `token` has left on the fake at `api` (`GET /rate_limit` costs none).
export async function restQuotaLeft(api, token) {
  const answer = await fetch(`${api}/rate_limit`, { headers: { authorization: `Bearer ${token}` } });
  return (await answer.json()).resources.core.remaining;
}

/// Runs a benchmark's `main`, exiting non-zero when it fails.
export function run(main) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/// Samples the page's peak memory every 100 ms into `window.__peak` ({ heap, wasm, total } in bytes): the JS heap
/// (Chromium's `performance.memory`, with `--enable-precise-memory-info`) and the wasm instance's exported memory
/// (the split modules share it).
export async function trackPeakMemory(page) {
  await page.addInitScript(() => {
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const result = await instantiate.apply(this, args);
      const instance = result.instance ?? result;
      if (instance?.exports?.memory) window.__wasmMemory = instance.exports.memory;
      return result;
    };
    window.__peak = { heap: 0, wasm: 0, total: 0 };
    setInterval(() => {
      const heap = performance.memory?.usedJSHeapSize ?? 0;
      const wasm = window.__wasmMemory?.buffer.byteLength ?? 0;
      const p = window.__peak;
      p.heap = Math.max(p.heap, heap);
      p.wasm = Math.max(p.wasm, wasm);
      p.total = Math.max(p.total, heap + wasm);
    }, 100);
  });
}
