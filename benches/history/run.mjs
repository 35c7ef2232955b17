// History benchmark (a measurement, not a test): the release build in headless Chromium against fake-github
// over TLS (HTTP/2, as api.github.com) with 100 ms of latency per request, 5,000 deployments × 5 statuses,
// twice — GraphQL on (states in bulk) and off (`--graphql off`: REST only, as a server without GraphQL).
// Measures, from opening the History view: time to the first rows, until every row on screen has its state,
// until every deployment is listed, and until every deployment listed has its state; requests (REST and
// GraphQL), REST quota and GraphQL points spent, bytes received; then scrolling, and "Refresh now" with
// nothing changed: how many answers were 304 and how much quota it spent. Prints a table and writes
// benches/history/results.json. BENCH_GRAPHQL=on (or off) runs one mode only.
// Usage (from the repository root, after `make build` and `make fake-bin`): node benches/history/run.mjs
import { start, writeSeed, runModes, run, FAKE_BIN, launchChromium, connect, restQuotaLeft } from '../support.mjs';

const COUNT = Number(process.env.BENCH_DEPLOYMENTS ?? 5000);
const MODES = (process.env.BENCH_GRAPHQL ?? 'on,off').split(',');
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 100);
const API = 'https://127.0.0.1:18910';
const APP = 'http://127.0.0.1:18911';
const TOKEN = 't-bench';
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the fake's certificate is self-signed (this script only)

function seedFile() {
  const start = Date.parse('2026-06-01T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const environments = ['production', 'staging', 'qa', 'preview/a', 'preview/b'];
  const deployments = [];
  for (let i = 0; i < COUNT; i++) {
    const at = start + i * 3_600_000;
    const environment = environments[i % environments.length];
    const last = i >= COUNT - environments.length;
    const statuses = ['pending', 'queued', 'in_progress', 'success'].map((state, k) => ({ state, created_at: iso(at + (k + 1) * 60_000) }));
    statuses.push({ state: last ? 'success' : 'inactive', created_at: iso(at + 3_000_000) });
    if (last) statuses.pop();
    if (last) statuses.push({ state: 'success', created_at: iso(at + 300_000) });
    deployments.push({ id: 5001 + i, ref: 'main', environment, creator: 'mona', created_at: iso(at), description: `Deploy ${i + 1}`, statuses });
  }
  const seed = {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{ owner: 'acme', name: 'big', collaborators: { mona: 'write' }, environments: environments.map((name) => ({ name })), deployments }],
  };
  return writeSeed(seed);
}

async function measure(graphql, seed) {
  const fake = await start(FAKE_BIN, ['--addr', '127.0.0.1:18910', '--tls', '--latency-ms', String(LATENCY), '--graphql', graphql, '--seed', seed]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await connect(page, { app: APP, api: API, token: TOKEN, repo: 'acme/big' });
    // The overview's own reads finished: what follows is History's.
    await page.waitForLoadState('networkidle');

    const traffic = [];
    page.on('requestfinished', async (request) => {
      if (!request.url().startsWith(API)) return;
      const response = await request.response();
      const sizes = await request.sizes();
      const headers = response ? await response.allHeaders() : {};
      traffic.push({
        method: request.method(), status: response?.status(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, at: Date.now(),
        graphql: request.url().endsWith('/graphql'), used: Number(headers['x-ratelimit-used'] ?? 0),
      });
    });
    // GraphQL's points: what its answers say was used (its own quota, `x-ratelimit-resource: graphql`).
    const points = (list) => {
      const used = list.filter((r) => r.graphql && r.status === 200).map((r) => r.used);
      return used.length ? Math.max(...used) - Math.min(...used) + 1 : 0;
    };
    const quota = () => restQuotaLeft(API, TOKEN);

    const quotaBefore = await quota();
    const t0 = Date.now();
    await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'History' }).click();
    await page.getByTestId('history-row').first().waitFor();
    const firstRows = Date.now() - t0;
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-row]').length > 0
      && document.querySelectorAll('[data-testid=state-loading]').length === 0);
    const statesOnScreen = Date.now() - t0;
    await page.waitForFunction((n) => document.querySelector('[data-testid=history-count]')?.textContent?.startsWith(`${n} of ${n}`), COUNT, { timeout: 120_000 });
    const allListed = Date.now() - t0;
    let allWithState = null;
    if (graphql === 'on') {
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid=history-count]')?.dataset.statesKnown) === n, COUNT, { timeout: 120_000 });
      allWithState = Date.now() - t0;
    }
    await page.waitForTimeout(500);
    const statesKnown = Number(await page.getByTestId('history-count').getAttribute('data-states-known'));
    const rendered = await page.getByTestId('history-row').count();
    const opening = traffic.splice(0);
    const quotaAfterOpen = await quota();
    // Scrolling the whole list: 60 jumps of a screen and a half, one per animation frame, timing each frame
    // (the rows are re-rendered for every jump).
    const frames = await page.evaluate(async () => {
      const scroller = document.querySelector('.history-scroll');
      const times = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        scroller.scrollTop = (i + 1) * scroller.clientHeight * 1.5 % scroller.scrollHeight;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      scroller.scrollTop = 0;
      times.sort((a, b) => a - b);
      return { median: times[30], p95: times[56], max: times[59], rowsInPage: document.querySelectorAll('[data-testid=history-row]').length };
    });
    await page.waitForTimeout(1500);
    const scrolling = traffic.splice(0);
    const quotaAfterScroll = await quota();

    const t1 = Date.now();
    await page.getByTestId('refresh').click();
    let settled = 0;
    while (Date.now() - t1 < 20_000) {
      await page.waitForTimeout(300);
      const last = traffic.at(-1)?.at ?? t1;
      if (traffic.length > 0 && Date.now() - last > 1_000) { settled = last - t1; break; }
    }
    const refreshing = traffic.splice(0);
    const quotaAfterRefresh = await quota();

    const sum = (list) => list.reduce((s, r) => s + r.bytes, 0);
    const perSecondPeak = (times) => {
      const sorted = [...times].sort((a, b) => a - b);
      let best = 0;
      for (let i = 0, j = 0; i < sorted.length; i++) {
        while (sorted[i] - sorted[j] >= 1_000) j++;
        best = Math.max(best, i - j + 1);
      }
      return best;
    };
    const results = {
      setup: { graphql, deployments: COUNT, statusesEach: 5, latencyMs: LATENCY, transport: 'HTTPS (HTTP/2), self-signed', rowsRendered: rendered },
      open: {
        firstRowsMs: firstRows,
        everyRowOnScreenHasStateMs: statesOnScreen,
        allDeploymentsListedMs: allListed,
        everyDeploymentWithStateMs: allWithState,
        statesKnownAfterOpen: statesKnown,
        restRequests: opening.filter((r) => !r.graphql).length,
        graphqlRequests: opening.filter((r) => r.graphql).length,
        bytesReceived: sum(opening),
        restQuotaSpent: quotaBefore - quotaAfterOpen,
        graphqlPoints: points(opening),
        // Against the transport's ceiling (core's floodgate, 100 a second): this screen at its busiest.
        requestsPerSecondPeak: perSecondPeak(opening.filter((r) => r.method !== 'OPTIONS').map((r) => r.at)),
      },
      scroll: {
        twoFramesPerJumpMedianMs: Math.round(frames.median),
        twoFramesPerJumpP95Ms: Math.round(frames.p95),
        twoFramesPerJumpMaxMs: Math.round(frames.max),
        rowsInPageWhileScrolling: frames.rowsInPage,
        requestsWhileScrolling: scrolling.length,
        quotaSpent: quotaAfterOpen - quotaAfterScroll,
      },
      refreshUnchanged: {
        requests: refreshing.length,
        answered304: refreshing.filter((r) => r.status === 304).length,
        bytesReceived: sum(refreshing),
        quotaSpent: quotaAfterScroll - quotaAfterRefresh,
        settledMs: settled,
      },
    };
    return results;
  } finally {
    await browser.close();
    fake.kill();
  }
}

run(async () => runModes({
  title: 'History benchmark',
  file: 'benches/history/results.json',
  modes: MODES,
  appPort: 18911,
  key: (graphql) => `graphql_${graphql}`,
  measure: (() => {
    const seed = seedFile();
    return (graphql) => measure(graphql, seed);
  })(),
}));
