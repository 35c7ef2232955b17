// Shared by the contract tests: start fake-github, talk to it, and validate bodies against GitHub's
// official OpenAPI description (npm @octokit/openapi, generated/api.github.com.json).
//
// Validator: Ajv 8 (JSON Schema draft-07 mode) with ajv-formats for `uri` and `date-time`. The description is
// OpenAPI 3.0.3, whose `nullable: true` plain JSON-Schema validators ignore, so it is rewritten first into a
// type union (`["string","null"]`), or `anyOf` with `{"type":"null"}` where there is no `type` (docs/github-api.md,
// "Files" table).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const require = createRequire(import.meta.url);

export const BIN = process.env.FAKE_GITHUB_BIN ?? new URL('../../../target/debug/fake-github', import.meta.url).pathname;

/** Starts the server with `args`; resolves to { base, stop, proc }. */
export async function startFake(args = []) {
  const proc = spawn(BIN, ['--addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fake-github did not print its base URL in 20 s: ${stderr}`)), 20_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake-github exited with ${code}: ${stderr}`));
    });
  });
  return {
    base,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await once(proc, 'exit');
      }
    },
  };
}

/** A fetch to the fake returning { status, headers, text, json }. */
export async function call(base, method, path, { token, body, headers = {} } = {}) {
  const h = { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

function rewriteNullable(node) {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = rewriteNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

let cached;
/** The validator over the whole description (loaded once per test process). */
export function spec() {
  if (cached) return cached;
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const doc = rewriteNullable(JSON.parse(readFileSync(file, 'utf8')));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // The one place the description and the real API disagree for these objects: unset `target_url`,
  // `log_url` and `environment_url` are sent as "" (docs/github-api.md §7.3 [observed]), which `format: uri` refuses.
  // Everything else must still be a URI.
  ajv.addFormat('uri', { type: 'string', validate: (s) => s === '' || fullFormats.uri(s) });
  ajv.addSchema({ $id: 'https://github.test/openapi.json', components: doc.components, paths: doc.paths });
  const compiled = new Map();
  const validatorFor = (pointer) => {
    if (!compiled.has(pointer)) compiled.set(pointer, ajv.compile({ $ref: `https://github.test/openapi.json#${pointer}` }));
    return compiled.get(pointer);
  };
  const escape = (s) => s.replaceAll('~', '~0').replaceAll('/', '~1');
  /** The JSON pointer of the response schema GitHub documents for (path template, method, status). */
  const responsePointer = (template, method, status) => {
    const op = doc.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`the description has no ${method} ${template}`);
    let response = op.responses[String(status)];
    let pointer = `/paths/${escape(template)}/${method.toLowerCase()}/responses/${status}`;
    if (!response) return undefined;
    if (response.$ref) {
      pointer = response.$ref.slice(1);
      response = response.$ref.split('/').slice(1).reduce((n, k) => n[k], doc);
    }
    if (!response.content?.['application/json']?.schema) return undefined;
    return `${pointer}/content/application~1json/schema`;
  };
  cached = {
    doc,
    /** Validates `body` as the documented answer; falls back to `fallbackSchema` (a components name). */
    check(template, method, status, body, fallbackSchema) {
      const pointer = responsePointer(template, method, status) ?? (fallbackSchema && `/components/schemas/${fallbackSchema}`);
      if (!pointer) throw new Error(`no schema for ${method} ${template} ${status} and no fallback`);
      const validate = validatorFor(pointer);
      const ok = validate(body);
      return { ok, pointer, errors: ok ? [] : validate.errors.slice(0, 8).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`) };
    },
    /** Validates `body` against a named component schema. */
    component(name, body) {
      const validate = validatorFor(`/components/schemas/${name}`);
      const ok = validate(body);
      return { ok, errors: ok ? [] : validate.errors.slice(0, 8).map((e) => `${e.instancePath} ${e.message}`) };
    },
  };
  return cached;
}
