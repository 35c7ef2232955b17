// Cleanup benchmark (a measurement, not a test): the release build in headless Chromium runs the Cleanup view
// over 500 deployments across 5 environments:
// - github.com: fake-github over TLS answers as api.github.com (Chromium maps the name to it), at 50 ms, with
//   GitHub's secondary limits enforced (`--secondary-limits`): the app paces itself as it does for github.com.
//   Measures the plan (time, REST requests, GraphQL requests), the writes made against the minimum the plan
//   needs, the write rate against GitHub's limits, and the 403s the pacing caused (must be 0).
// - github-rest: the same host without GraphQL (`--graphql off`): the plan only (time and requests).
// - GHES (no pacing: a custom API address, paced as GHES is by default) at 20 ms latency: deletions per second.
// Prints the figures and writes benches/cleanup/results.json.
// Usage (from the repository root, after `make build` and `make fake-bin`): node benches/cleanup/run.mjs
// BENCH_CLEANUP_MODES=ghes (or github, github-rest, a comma-separated list) runs those modes only.
import { start, writeSeed, runModes, run, FAKE_BIN, launchChromium, connect } from '../support.mjs';

const COUNT = 500;
const ENVIRONMENTS = ['production', 'staging', 'qa', 'preview/a', 'preview/b'];
const PORT = 18910;
const APP = 'http://127.0.0.1:18911';
const TOKEN = 't-bench';
const MODES = (process.env.BENCH_CLEANUP_MODES ?? 'github,github-rest,ghes').split(',');
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the fake's certificate is self-signed (this script only)

/// 500 deployments, oldest first: as auto-inactive leaves them, every success but the newest of its
/// environment is inactive; every seventh failed (not active under GitHub's rule: deleted as it is).
function seedFile() {
  const start = Date.parse('2026-06-01T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const deployments = [];
  for (let i = 0; i < COUNT; i++) {
    const at = start + i * 3_600_000;
    const environment = ENVIRONMENTS[i % ENVIRONMENTS.length];
    const newest = i >= COUNT - ENVIRONMENTS.length;
    const failed = !newest && i % 7 === 3;
    const statuses = [{ state: 'in_progress', created_at: iso(at + 60_000) }, { state: failed ? 'failure' : 'success', created_at: iso(at + 120_000) }];
    if (!newest && !failed) statuses.push({ state: 'inactive', created_at: iso(at + 3_000_000) });
    deployments.push({ id: 7001 + i, ref: 'main', environment, creator: 'mona', created_at: iso(at), statuses });
  }
  const seed = {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{ owner: 'acme', name: 'big', collaborators: { mona: 'write' }, environments: ENVIRONMENTS.map((name) => ({ name })), deployments }],
  };
  return writeSeed(seed);
}

/// The most entries of `times` (ms) in any `span` ms.
function peak(times, span) {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= span) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function measure(mode, seed) {
  const github = mode.startsWith('github');
  const planOnly = mode === 'github-rest';
  const latency = github ? 50 : 20;
  const args = ['--addr', `127.0.0.1:${PORT}`, '--tls', '--latency-ms', String(latency), '--seed', seed];
  if (github) args.push('--secondary-limits');
  if (planOnly) args.push('--graphql', 'off');
  const fake = await start(FAKE_BIN, args);
  const admin = `https://127.0.0.1:${PORT}`;
  const browser = await launchChromium([`--host-resolver-rules=MAP api.github.com 127.0.0.1:${PORT}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await connect(page, { app: APP, api: github ? null : admin, token: TOKEN, repo: 'acme/big' });
    await fetch(`${admin}/_fake/requests`, { method: 'DELETE' });
    await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Cleanup' }).click();
    const t0 = Date.now();
    // Reading 500 states costs more than 100 requests of the quota: the page asks first; the bench says yes
    // at once (the time to the ready plan includes the question).
    await page.waitForFunction(() => document.querySelector('[data-testid=cost-question]') || /will be deleted/.test(document.querySelector('[data-testid=plan-count]')?.textContent ?? ''), null, { timeout: 120_000 });
    if (await page.getByTestId('cost-question-accept').isVisible()) await page.getByTestId('cost-question-accept').click();
    await page.waitForFunction(() => /will be deleted/.test(document.querySelector('[data-testid=plan-count]')?.textContent ?? ''), null, { timeout: 120_000 });
    const planReadyMs = Date.now() - t0;
    // The requests the page made (a browser's CORS preflights, OPTIONS, are not requests to count).
    const planLog = (await (await fetch(`${admin}/_fake/requests`)).json()).filter((r) => r.method !== 'OPTIONS');
    const plan = {
      readyMs: planReadyMs,
      restRequests: planLog.filter((r) => r.path !== '/graphql').length,
      graphqlRequests: planLog.filter((r) => r.path === '/graphql').length,
      // Against the transport's ceiling (core's floodgate, 100 a second): what this screen needs at its busiest.
      requestsPerSecondPeak: peak(planLog.map((r) => r.started_ms).sort((a, b) => a - b), 1_000),
    };
    // What earlier benchmarks planned: every state (the default selects only inactive ones), what is live
    // outside production included.
    await page.getByRole('checkbox', { name: 'Inactive', exact: true }).uncheck();
    await page.getByTestId('allow-live').check();
    const planText = await page.getByTestId('plan-count').textContent();
    const [, deletes, deactivations, , minimum] = planText.match(/([\d,]+) deployments? will be deleted \((\d+) marked inactive first\), (\d+) kept; ([\d,]+) requests? /).map((n) => Number(String(n).replaceAll(',', '')));
    if (planOnly) {
      return { mode: 'github.com, GraphQL off (REST only)', latencyMs: latency, plan, planned: { deletes, deactivations, minimumWrites: minimum } };
    }
    await fetch(`${admin}/_fake/requests`, { method: 'DELETE' });
    await page.getByTestId('review-run').click();
    const typed = page.getByTestId('confirm-repository');
    if (await typed.isVisible()) await typed.fill('acme/big');
    const t1 = Date.now();
    await page.getByTestId('start-run').click();
    await page.waitForFunction(() => /^Cleanup (finished|stopped)/.test(document.querySelector('[data-testid=run-heading]')?.textContent ?? ''), null, { timeout: 40 * 60_000, polling: 1_000 });
    const runMs = Date.now() - t1;
    const summary = await page.getByTestId('run-summary').textContent();
    const log = (await (await fetch(`${admin}/_fake/requests`)).json()).filter((r) => (r.method === 'POST' || r.method === 'DELETE') && r.path !== '/graphql');
    const posts = log.filter((r) => r.method === 'POST');
    const dels = log.filter((r) => r.method === 'DELETE');
    const starts = log.map((r) => r.started_ms).sort((a, b) => a - b);
    const postStarts = posts.map((r) => r.started_ms).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]).sort((a, b) => a - b);
    return {
      mode: github ? 'github.com pacing, fake with --secondary-limits' : 'GHES (no pacing)',
      latencyMs: latency,
      plan,
      planned: { deletes, deactivations, minimumWrites: minimum },
      made: { inactivePosts: posts.length, deletes: dels.length, writes: log.length },
      answered403: log.filter((r) => r.status === 403).length,
      failedOtherwise: log.filter((r) => r.status >= 400 && r.status !== 403).length,
      runSeconds: Math.round(runMs / 100) / 10,
      deletionsPerSecond: Math.round((dels.length / (runMs / 1000)) * 100) / 100,
      writesPerMinutePeak: peak(starts, 60_000),
      writesPerSecondPeak: peak(starts, 1_000),
      inactivePostsPerMinutePeak: peak(postStarts, 60_000),
      writeSpacingMs: { min: gaps[0] ?? 0, median: gaps[Math.floor(gaps.length / 2)] ?? 0 },
      summary,
    };
  } finally {
    await browser.close();
    fake.kill();
  }
}

run(async () => {
  const seed = seedFile();
  await runModes({
    title: 'Cleanup benchmark',
    file: 'benches/cleanup/results.json',
    modes: MODES,
    appPort: 18911,
    setup: { deployments: COUNT, environments: ENVIRONMENTS.length, limits: 'GitHub: 80 content-creating requests a minute, 500 an hour, ~1 s between mutations (docs/github-api.md §5)' },
    measure: (mode) => measure(mode, seed),
  });
});
