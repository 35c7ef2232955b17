// Fleet benchmark (a measurement, not a test; issue 19 item 5): the release build in headless Chromium against
// fake-github over TLS with 100 ms of latency per request — 20 repositories × 10 environments × 200 deployments
// each (2 statuses per deployment), pinned through the fleet's shared address. Twice: GraphQL on, then off
// (`--graphql off`: REST only). Measures, from opening the fleet: time until the full matrix shows (every
// repository's row with its ten cells), requests (REST and GraphQL), GraphQL points and REST quota spent; then
// "Refresh now" with nothing changed (requests, 304s, points). Prints a table and writes
// benches/fleet/results.json. BENCH_GRAPHQL=on (or off) runs one mode only.
// Usage (from the repository root, after `make build` and `make fake-bin`): node benches/fleet/run.mjs
import { start, writeSeed, runModes, run, FAKE_BIN, launchChromium, connect, restQuotaLeft } from '../support.mjs';

const REPOS = Number(process.env.BENCH_REPOS ?? 20);
const ENVIRONMENTS = Number(process.env.BENCH_ENVIRONMENTS ?? 10);
const EACH = Number(process.env.BENCH_DEPLOYMENTS_EACH ?? 200);
const MODES = (process.env.BENCH_GRAPHQL ?? 'on,off').split(',');
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 100);
const API = 'https://127.0.0.1:18930';
const APP = 'http://127.0.0.1:18931';
const TOKEN = 't-bench';
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the fake's certificate is self-signed (this script only)

const names = Array.from({ length: ENVIRONMENTS }, (_, e) => (e === 0 ? 'production' : e === 1 ? 'staging' : `region-${e}`));

function seedFile() {
  const start = Date.parse('2026-06-01T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  let id = 1;
  const repositories = Array.from({ length: REPOS }, (_, r) => ({
    owner: 'acme', name: `service-${r + 1}`, collaborators: { mona: 'write' },
    environments: names.map((name) => ({ name })),
    deployments: Array.from({ length: EACH }, (_, i) => {
      const at = start + i * 3_600_000 + r * 60_000;
      const environment = names[i % ENVIRONMENTS];
      const newest = i >= EACH - ENVIRONMENTS;
      // Every tenth newest one failed, so some cells show a failure beside what is live.
      const final = newest && (i + r) % 7 === 0 ? 'failure' : 'success';
      const statuses = [{ state: 'in_progress', created_at: iso(at + 60_000) }, { state: final, created_at: iso(at + 120_000) }];
      if (!newest && final === 'success') statuses.push({ state: 'inactive', created_at: iso(at + 3_000_000) });
      return { id: id++, ref: 'main', environment, creator: 'mona', created_at: iso(at), statuses };
    }),
  }));
  return writeSeed({
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories,
  });
}

async function measure(graphql, seed) {
  const fake = await start(FAKE_BIN, ['--addr', '127.0.0.1:18930', '--tls', '--latency-ms', String(LATENCY), '--graphql', graphql, '--seed', seed]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await connect(page, { app: APP, api: API, token: TOKEN, repo: 'acme/service-1' });
    await page.waitForLoadState('networkidle');
    // The fleet's module is fetched once beforehand, so the figure is the reads, not the download.
    await page.getByTestId('fleet-link').click();
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
    await page.waitForLoadState('networkidle');

    const traffic = [];
    page.on('requestfinished', async (request) => {
      if (!request.url().startsWith(API)) return;
      const response = await request.response();
      const headers = response ? await response.allHeaders() : {};
      traffic.push({ status: response?.status(), graphql: request.url().endsWith('/graphql'), used: Number(headers['x-ratelimit-used'] ?? 0), at: Date.now() });
    });
    const points = (list) => {
      const used = list.filter((r) => r.graphql && r.status === 200).map((r) => r.used);
      return used.length ? Math.max(...used) - Math.min(...used) + 1 : 0;
    };
    const quota = () => restQuotaLeft(API, TOKEN);
    const full = ([rows, cells]) => document.querySelectorAll('[data-testid=fleet-row]').length === rows
      && [...document.querySelectorAll('[data-testid=fleet-row]')].every((row) => row.querySelectorAll('[data-testid=cell]').length >= cells);

    const repos = Array.from({ length: REPOS }, (_, r) => `acme/service-${r + 1}`).join(',');
    const address = `/custom/_fleet?repos=${repos}&api=${encodeURIComponent(API)}`;
    const quotaBefore = await quota();
    // The shared address, opened in this tab (the token is kept for it): timed from the fleet view's start (its
    // heading), so the page's own load is not counted.
    await page.goto(`${APP}${address}`);
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    await page.waitForFunction(full, [REPOS, ENVIRONMENTS], { timeout: 120_000, polling: 20 });
    const fullMatrix = Date.now() - t0;
    await page.waitForTimeout(1500);
    const opening = traffic.splice(0);
    const quotaAfterOpen = await quota();

    const t1 = Date.now();
    await page.getByTestId('fleet-refresh').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=fleet-status]')?.textContent?.startsWith('Read at'), null, { timeout: 120_000, polling: 20 });
    const refreshMs = Date.now() - t1;
    await page.waitForTimeout(1000);
    const refreshing = traffic.splice(0);
    const quotaAfterRefresh = await quota();
    return {
      setup: { graphql, repositories: REPOS, environmentsEach: ENVIRONMENTS, deploymentsEach: EACH, latencyMs: LATENCY },
      open: {
        fullMatrixMs: fullMatrix,
        restRequests: opening.filter((r) => !r.graphql).length,
        graphqlRequests: opening.filter((r) => r.graphql).length,
        graphqlPoints: points(opening),
        restQuotaSpent: quotaBefore - quotaAfterOpen,
      },
      refreshUnchanged: {
        settledMs: refreshMs,
        restRequests: refreshing.filter((r) => !r.graphql).length,
        answered304: refreshing.filter((r) => r.status === 304).length,
        graphqlRequests: refreshing.filter((r) => r.graphql).length,
        graphqlPoints: points(refreshing),
        restQuotaSpent: quotaAfterOpen - quotaAfterRefresh,
      },
    };
  } finally {
    await browser.close();
    fake.kill();
  }
}

run(async () => runModes({
  title: 'Fleet benchmark',
  file: 'benches/fleet/results.json',
  modes: MODES,
  appPort: 18931,
  key: (graphql) => `graphql_${graphql}`,
  measure: (() => {
    const seed = seedFile();
    return (graphql) => measure(graphql, seed);
  })(),
}));
