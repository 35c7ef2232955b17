// Scale benchmark (a measurement, not a test): the Cleanup plan of a repository with 100,000 deployments, as
// the cleanup Actions' users report them. The release build in headless Chromium against fake-github over TLS
// answering as api.github.com (paced as github.com), 50 ms per request, GraphQL on. Measures the time from
// opening Cleanup to a ready plan, the requests (REST and GraphQL), the REST quota and GraphQL points spent,
// the page's peak memory (JS heap + the wasm memory) and its longest main-thread task while planning.
// Prints the figures and writes benches/scale/results.json.
// Usage (from the repository root, after `make build` and `make fake-bin`): node benches/scale/run.mjs
// BENCH_SCALE_DEPLOYMENTS=N changes the count; BENCH_GRAPHQL=off plans through REST alone.
import { writeFileSync } from 'node:fs';
import { start, writeSeed, FAKE_BIN, launchChromium, connect, trackPeakMemory } from '../support.mjs';

const COUNT = Number(process.env.BENCH_SCALE_DEPLOYMENTS ?? 100_000);
const GRAPHQL = process.env.BENCH_GRAPHQL ?? 'on';
const ENVIRONMENTS = ['production', 'staging', 'qa', 'preview/a', 'preview/b'];
const PORT = 18920;
const APP = 'http://127.0.0.1:18921';
const TOKEN = 't-bench';
const LATENCY = 50;
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the fake's certificate is self-signed (this script only)

/// As auto-inactive leaves them: every success but the newest of its environment inactive; every seventh failed.
function seedFile() {
  const start = Date.parse('2016-01-01T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const deployments = [];
  for (let i = 0; i < COUNT; i++) {
    const at = start + i * 600_000;
    const environment = ENVIRONMENTS[i % ENVIRONMENTS.length];
    const newest = i >= COUNT - ENVIRONMENTS.length;
    const failed = !newest && i % 7 === 3;
    const statuses = [{ state: failed ? 'failure' : 'success', created_at: iso(at + 120_000) }];
    if (!newest && !failed) statuses.push({ state: 'inactive', created_at: iso(at + 300_000) });
    deployments.push({ id: 100_001 + i, ref: 'main', environment, creator: 'mona', created_at: iso(at), statuses });
  }
  return writeSeed({
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{ owner: 'acme', name: 'huge', collaborators: { mona: 'write' }, environments: ENVIRONMENTS.map((name) => ({ name })), deployments }],
  });
}

async function main() {
  const seed = seedFile();
  const fake = await start(FAKE_BIN, ['--addr', `127.0.0.1:${PORT}`, '--tls', '--latency-ms', String(LATENCY), '--graphql', GRAPHQL, '--seed', seed]);
  const app = await start('node', ['tests/e2e/serve-dist.mjs', 'dist', '/', '18921']);
  const admin = `https://127.0.0.1:${PORT}`;
  const browser = await launchChromium(['--enable-precise-memory-info', `--host-resolver-rules=MAP api.github.com 127.0.0.1:${PORT}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The wasm memory is the instance's exported memory (the split modules share it); the longest task and
    // the peak memory are sampled in the page.
    await trackPeakMemory(page);
    await page.addInitScript(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await connect(page, { app: APP, token: TOKEN, repo: 'acme/huge', timeout: 60_000 });
    await fetch(`${admin}/_fake/requests`, { method: 'DELETE' });
    const quota = async () => (await (await fetch(`${admin}/rate_limit`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).resources.core.remaining;
    const quotaBefore = await quota();
    await page.evaluate(() => { window.__longest = 0; });
    const t0 = Date.now();
    await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Cleanup' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=cost-question]') || /will be deleted/.test(document.querySelector('[data-testid=plan-count]')?.textContent ?? ''), null, { timeout: 30 * 60_000, polling: 250 });
    if (await page.getByTestId('cost-question-accept').isVisible()) await page.getByTestId('cost-question-accept').click();
    await page.waitForFunction(() => /will be deleted/.test(document.querySelector('[data-testid=plan-count]')?.textContent ?? ''), null, { timeout: 30 * 60_000, polling: 250 });
    const planReadyMs = Date.now() - t0;
    const planText = await page.getByTestId('plan-count').textContent();
    // The requests the page made (a browser's CORS preflights, OPTIONS, are not requests to count).
    const log = (await (await fetch(`${admin}/_fake/requests`)).json()).filter((r) => r.method !== 'OPTIONS');
    const graphql = log.filter((r) => r.path === '/graphql');
    const measured = await page.evaluate(() => ({ longestTaskMs: Math.round(window.__longest), peak: window.__peak }));
    const mb = (bytes) => Math.round((bytes / 1_048_576) * 10) / 10;
    const results = {
      setup: { deployments: COUNT, environments: ENVIRONMENTS.length, latencyMs: LATENCY, graphql: GRAPHQL, host: 'api.github.com (paced as github.com), fake-github over TLS' },
      planReadyMs,
      plan: planText,
      restRequests: log.length - graphql.length,
      graphqlRequests: graphql.length,
      // Each states read is 1 point (nodes(ids:) of up to 100: docs/github-api.md §13).
      graphqlPoints: graphql.filter((r) => r.status === 200).length,
      restQuotaSpent: quotaBefore - (await quota()),
      peakMemoryMb: { jsHeap: mb(measured.peak.heap), wasm: mb(measured.peak.wasm), total: mb(measured.peak.total) },
      longestMainThreadTaskMs: measured.longestTaskMs,
    };
    writeFileSync('benches/scale/results.json', JSON.stringify(results, null, 2) + '\n');
    console.log('Scale benchmark');
    for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(26)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  } finally {
    await browser.close();
    fake.kill();
    app.kill();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
