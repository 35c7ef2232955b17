// Review inbox benchmark (a measurement, not a test; issue 38's targets): the release build in headless Chromium
// against fake-github over TLS with 100 ms of latency per request — 25 pinned repositories, each with a run of one
// commit waiting on production (deployed by ten workflows in the first ten repositories: a group of 10 runs) and
// another run of its own. Measures, from opening the inbox's shared address (its module fetched beforehand):
// time until every group shows, requests and REST quota spent; "Refresh now" with nothing changed (requests, 304s,
// quota spent); then "Approve all…" on the group of 10 → the confirmation → time until each run's outcome is
// shown. Twice: GraphQL on (the decision is one request), then off (a review at a time through REST). A custom
// API address is unpaced (as GHES is by default): on github.com REST's reviews go a second apart, as every write
// does, where GraphQL's one request does not wait. Prints a table and writes benches/inbox/results.json.
// BENCH_GRAPHQL=on (or off) runs one mode only.
// Usage (from the repository root, after `make build` and `make fake-bin`): node benches/inbox/run.mjs
import { start, writeSeed, runModes, run, FAKE_BIN, launchChromium, connect, restQuotaLeft } from '../support.mjs';

const REPOS = Number(process.env.BENCH_REPOS ?? 25);
const GROUP = Math.min(REPOS, Number(process.env.BENCH_GROUP ?? 10));
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 100);
const API = 'https://127.0.0.1:18940';
const APP = 'http://127.0.0.1:18941';
const TOKEN = 't-bench';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the fake's certificate is self-signed (this script only)

function seedFile() {
  const now = Date.now();
  const iso = (minutes) => new Date(now - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const hex = (n) => n.toString(16).padStart(40, '0');
  let id = 880_000;
  const repositories = Array.from({ length: REPOS }, (_, r) => ({
    owner: 'acme', name: `service-${r + 1}`, collaborators: { mona: 'write', carol: 'write' },
    environments: [{ name: 'production', reviewers: ['mona'] }, { name: 'staging', reviewers: ['mona'] }],
    runs: [
      { id: id++, workflow: 'Deploy', title: 'Ship the new checkout', ref: 'main', sha: r < GROUP ? SHA : hex(r + 1), actor: 'carol', created_at: iso(30 - r), waits_on: ['production'] },
      { id: id++, workflow: 'Preview', title: `Preview ${r + 1}`, ref: `feature-${r + 1}`, sha: hex(1000 + r), actor: 'carol', created_at: iso(5), waits_on: ['staging'] },
    ],
  }));
  return writeSeed({
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }, { login: 'carol' }],
    tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories,
  });
}

async function measure(graphql, seed) {
  const fake = await start(FAKE_BIN, ['--addr', '127.0.0.1:18940', '--tls', '--latency-ms', String(LATENCY), '--graphql', graphql, '--seed', seed]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await connect(page, { app: APP, api: API, token: TOKEN, repo: 'acme/service-1' });
    await page.waitForLoadState('networkidle');
    const repos = Array.from({ length: REPOS }, (_, r) => `acme/service-${r + 1}`).join(',');
    const address = `${APP}/custom/_reviews?repos=${repos}&api=${encodeURIComponent(API)}`;
    // The inbox's module is fetched once beforehand (an empty list reads nothing), so the figure is the reads.
    await page.goto(`${APP}/custom/_reviews?repos=&api=${encodeURIComponent(API)}`);
    await page.getByTestId('inbox-empty').waitFor({ timeout: 60_000 });

    const traffic = [];
    page.on('requestfinished', async (request) => {
      if (!request.url().startsWith(API)) return;
      const response = await request.response();
      traffic.push({ status: response?.status(), method: request.method(), graphql: request.url().endsWith('/graphql') });
    });
    const quota = () => restQuotaLeft(API, TOKEN);
    const groups = REPOS - GROUP + 1 + REPOS;
    const quotaBefore = await quota();
    await page.goto(address);
    await page.getByRole('heading', { level: 1, name: 'Reviews waiting' }).waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=commit-group]').length === n, groups, { timeout: 120_000, polling: 20 });
    const onScreen = Date.now() - t0;
    await page.waitForTimeout(1000);
    const opening = traffic.splice(0);
    const quotaAfterOpen = await quota();

    const t1 = Date.now();
    await page.getByTestId('inbox-refresh').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=inbox-refresh]')?.disabled, null, { timeout: 120_000, polling: 20 });
    const refreshMs = Date.now() - t1;
    await page.waitForTimeout(1000);
    const refreshing = traffic.splice(0);
    const quotaAfterRefresh = await quota();

    const group = page.locator(`[data-testid="commit-group"][data-sha="${SHA}"]`);
    await group.getByTestId('group-approve').click();
    await group.getByTestId('group-confirm-go').waitFor();
    const t2 = Date.now();
    await group.getByTestId('group-confirm-go').click();
    const done = `Done: ${GROUP} approved.`;
    await page.waitForFunction((text) => document.querySelector('[data-testid=group-progress]')?.textContent === text, done, { timeout: 120_000, polling: 20 });
    const decided = Date.now() - t2;
    const writes = traffic.filter((r) => r.method === 'POST');
    return {
      setup: { graphql, repositories: REPOS, runs: REPOS * 2, groupOf: GROUP, latencyMs: LATENCY },
      open: {
        everyGroupOnScreenMs: onScreen,
        requests: opening.length,
        restQuotaSpent: quotaBefore - quotaAfterOpen,
      },
      refreshUnchanged: {
        settledMs: refreshMs,
        requests: refreshing.length,
        answered304: refreshing.filter((r) => r.status === 304).length,
        restQuotaSpent: quotaAfterOpen - quotaAfterRefresh,
      },
      decideGroup: {
        runs: GROUP,
        everyOutcomeShownMs: decided,
        graphqlRequests: writes.filter((r) => r.graphql).length,
        restReviews: writes.filter((r) => !r.graphql).length,
      },
    };
  } finally {
    await browser.close();
    fake.kill();
  }
}

run(async () => runModes({
  title: 'Review inbox benchmark',
  file: 'benches/inbox/results.json',
  modes: (process.env.BENCH_GRAPHQL ?? 'on,off').split(','),
  appPort: 18941,
  key: (graphql) => `graphql_${graphql}`,
  measure: (() => {
    const seed = seedFile();
    return (mode) => measure(mode, seed);
  })(),
}));
