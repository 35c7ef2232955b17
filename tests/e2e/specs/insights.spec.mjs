// Issue 32: Insights — the four delivery measures per environment, from a seed with a rhythm whose figures are
// worked out by hand below: daily deployments, a failure and its fix, a slow week, a rollback, an unfinished
// deployment; read through GraphQL and, with GraphQL off, through REST alone, with the same figures.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { seed, settings, requests, clearRequests, SHOP_TOKEN } from '../support/fake.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { csvRows } from '../support/csv.mjs';
import { readFile } from 'node:fs/promises';

const sha = (n) => String(n).padStart(2, '0').repeat(20);
const HOSTILE = '<img src=x onerror=alert(1)>';

/// acme/rhythm, production, 2 to 15 November 2026 (14 days; the range is asked as ?from=2026-11-02&to=2026-11-15):
///
/// | deployment | created | commit (committed) | outcome |
/// |---|---|---|---|
/// | 1 | Nov 2 10:00 | c1 (Nov 2 09:00) | success 10:05 — the period's first success: its commits are not known |
/// | 2 | Nov 3 10:00 | c2 (Nov 3 09:00) | success 10:05 — c2 arrives: lead 1 h 5 min (3,900 s) |
/// | 3 | Nov 4 10:00 | c3 (Nov 4 09:00) | failure 10:05 — an outage starts |
/// | 4 | Nov 4 12:00 | c4 (Nov 4 11:30) | success 12:05 — restores in 2 h (7,200 s); c3 arrives (11,100 s), c4 (2,100 s) |
/// | 5 | Nov 5 10:00 | c5 (Nov 5 09:00) | success 10:05 — 3,900 s |
/// | 6 | Nov 6 10:00 | c6 (Nov 6 09:00) | success 10:05 — 3,900 s |
/// | 7 | Nov 12 10:00 | c7 (Nov 10 09:00) | success 10:05 — the slow week's one deployment: 2 d 1 h (176,700 s) |
/// | 8 | Nov 12 15:00 | c6 again | success 15:05 — a rollback to an older commit within a day: 7 is rolled back |
/// | 9 | Nov 13 10:00 | c8 | no status: unfinished |
///
/// 9 deployments: 7 successful, 1 failed, 1 unfinished → 7/14 = 0.5 a day (high: at least one a week); failure
/// rate 1/8 = 12.5 % (at or under the high cluster's 20 %); 1 of 7 successes rolled back (14.3 %); restore:
/// median and p90 2 h 0 min (high); lead times 2,100 3,900 3,900 3,900 11,100 176,700 → median (rank 3) 1 h 5
/// min, p90 (rank 6) 2 d 1 h (elite); 1 success whose commits are not known. Staging has two successes, and an
/// environment with a hostile name one.
function rhythmSeed() {
  const at = (day, time) => `2026-11-${String(day).padStart(2, '0')}T${time}:00Z`;
  const commit = (n, day, time) => ({ sha: sha(n), parent: n > 1 ? sha(n - 1) : null, message: `Change ${n}`, author: 'mona', date: at(day, time) });
  const history = [commit(1, 2, '09:00'), commit(2, 3, '09:00'), commit(3, 4, '09:00'), commit(4, 4, '11:30'),
    commit(5, 5, '09:00'), commit(6, 6, '09:00'), commit(7, 10, '09:00'), commit(8, 13, '09:00')];
  const ok = (day, time) => [{ state: 'in_progress', created_at: at(day, time.replace(/:\d\d$/, ':01')) }, { state: 'success', created_at: at(day, time) }];
  const deploy = (id, n, day, time, statuses, environment = 'production') =>
    ({ id, ref: 'main', sha: sha(n), environment, creator: 'mona', created_at: at(day, time), statuses });
  return {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{
      owner: 'acme', name: 'rhythm', collaborators: { mona: 'write' },
      branches: [{ name: 'main', sha: sha(8) }],
      history,
      environments: [{ name: 'production' }, { name: 'staging' }],
      deployments: [
        deploy(1, 1, 2, '10:00', ok(2, '10:05')),
        deploy(2, 2, 3, '10:00', ok(3, '10:05')),
        deploy(3, 3, 4, '10:00', [{ state: 'failure', created_at: at(4, '10:05') }]),
        deploy(4, 4, 4, '12:00', ok(4, '12:05')),
        deploy(5, 5, 5, '10:00', ok(5, '10:05')),
        deploy(6, 6, 6, '10:00', ok(6, '10:05')),
        deploy(7, 7, 12, '10:00', ok(12, '10:05')),
        deploy(8, 6, 12, '15:00', ok(12, '15:05')),
        deploy(9, 8, 13, '10:00', []),
        deploy(10, 5, 5, '11:00', ok(5, '11:05'), 'staging'),
        deploy(11, 7, 11, '11:00', ok(11, '11:05'), 'staging'),
        deploy(12, 7, 11, '12:00', ok(11, '12:05'), HOSTILE),
      ],
    }, {
      // A second production: two successes, the second 2 commits ahead.
      owner: 'acme', name: 'steady', collaborators: { mona: 'write' },
      branches: [{ name: 'main', sha: sha(23) }],
      history: [commit(21, 3, '08:00'), { ...commit(22, 9, '08:00'), parent: sha(21) }, { ...commit(23, 9, '09:00'), parent: sha(22) }]
        .map((c, i) => (i === 0 ? { ...c, parent: null } : c)),
      environments: [{ name: 'Production' }],
      deployments: [
        { id: 31, ref: 'main', sha: sha(21), environment: 'Production', creator: 'mona', created_at: at(3, '10:00'), statuses: ok(3, '10:05') },
        { id: 32, ref: 'main', sha: sha(23), environment: 'Production', creator: 'mona', created_at: at(9, '10:00'), statuses: ok(9, '11:00') },
      ],
    }, {
      // No production-like environment.
      owner: 'acme', name: 'quiet', collaborators: { mona: 'write' },
      environments: [{ name: 'staging' }],
      deployments: [{ id: 41, ref: 'main', environment: 'staging', creator: 'mona', created_at: at(3, '10:00'), statuses: ok(3, '10:05') }],
    }, { owner: 'acme', name: 'locked', private: true, collaborators: {} }],
  };
}

const RANGE = 'from=2026-11-02&to=2026-11-15';

/// Waits for the overview's own reads — its newest deployments with their states, through GraphQL unless that
/// is off — to be on screen, so that a log cleared after this holds only what the next screen asks. (Not
/// `waitForLoadState('networkidle')`: the page reached that long before, so it returns at once, and the
/// overview's GraphQL read could then land in the next screen's log on a busy machine.)
async function overviewRead(page) {
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('recent-deployments').or(page.getByTestId('no-deployments'))).toBeVisible();
}

async function openInsights(page, query = RANGE, repo = 'acme/rhythm') {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: SHOP_TOKEN, repo });
  await overviewRead(page);
  const url = new URL(page.url());
  url.pathname = url.pathname.replace(/\/overview$/, '/insights');
  url.search = `${url.search ? `${url.search}&` : '?'}${query}`;
  await clearRequests();
  await page.goto(url.toString());
  await expect(page.getByTestId('insights')).toBeVisible();
}

const row = (page, environment) => page.locator(`[data-testid="insights-row"][data-environment="${environment}"]`);

async function expectWorkedFigures(page) {
  const production = row(page, 'production');
  await expect(production.getByTestId('insights-lead')).toContainText('median 1 h 5 min, 90th percentile 2 d 1 h (6 commits)');
  await expect(production.getByTestId('insights-deployments')).toHaveText('9 deployments');
  await expect(production).toContainText('(1 unfinished)');
  await expect(production.getByTestId('insights-frequency')).toHaveText(/^0\.5 a day \(7 successful in 14 days\) high/);
  await expect(production.getByTestId('insights-failure')).toContainText('12.5 % (1 of 8 finished)');
  await expect(production.getByTestId('insights-failure')).toContainText("at or under the high cluster's 20 %");
  await expect(production.getByTestId('insights-rolled-back')).toHaveText('1 of 7 successes rolled back within a day (14.3 %)');
  await expect(production.getByTestId('insights-restore')).toHaveText(/^median 2 h 0 min, 90th percentile 2 h 0 min \(1 restore\) high/);
  await expect(production.getByTestId('insights-lead')).toContainText('elite');
  await expect(production.getByTestId('insights-lead')).toContainText('1 successful deployment whose commits are not known');
  await expect(row(page, 'staging').getByTestId('insights-frequency')).toContainText('2 successful in 14 days');
}

test.beforeEach(async () => {
  await seed(rhythmSeed());
});

test('the four measures match the seed worked out by hand, read through GraphQL at one point a page', async ({ page }) => {
  await openInsights(page);
  await expectWorkedFigures(page);
  await expect(page.getByTestId('insights-read')).toContainText('Read 12 deployments since 2026-11-02');
  const sent = (await requests()).filter((r) => r.method !== 'OPTIONS');
  expect(sent.filter((r) => r.path === '/graphql').length, 'one GraphQL page for 12 deployments').toBe(1);
  // Lead time: production has six pairs of consecutive successes with different commits, so its history is read
  // as one line, from its oldest success read to its newest (c1...c6: one page), which answers c1→c2, c2→c4,
  // c4→c5 and c5→c6; c6→c7 and c7→c6 (c7 is off that line) and staging's c5→c7 are compared one by one.
  const compares = sent.filter((r) => r.path.includes('/compare/')).map((r) => r.path.split('/compare/')[1]);
  expect(compares.sort()).toEqual([`${sha(1)}...${sha(6)}`, `${sha(5)}...${sha(7)}`, `${sha(6)}...${sha(7)}`, `${sha(7)}...${sha(6)}`]);
  // The charts: production first (production-like), its failure and its restore listed with links.
  await expect(page.getByTestId('insights-charts')).toContainText('production over the period');
  await expect(page.getByTestId('restore')).toHaveText('Deployment 3 failed 2026-11-04T10:05:00Z: restored in 2 h 0 min by deployment 4');
  await expect(page.getByTestId('frequency-chart').locator('svg[role=img]')).toHaveAttribute('aria-label', /7 successful, 1 failed, 1 unfinished/);
  await expect(page.getByTestId('lead-chart').locator('svg[role=img]')).toHaveAttribute('aria-label', /under an hour: 1, 1 hour to 1 day: 4, 1 day to 1 week: 1/);
  await page.screenshot({ path: 'tests/e2e/artifacts/insights.png', fullPage: true });
});

test('with GraphQL off the same figures come through REST alone', async ({ page }) => {
  await settings({ graphql: 'off' });
  await openInsights(page);
  await expectWorkedFigures(page);
  const sent = (await requests()).filter((r) => r.method !== 'OPTIONS');
  expect(sent.some((r) => r.path === '/graphql' && r.status === 200), 'no GraphQL answer').toBe(false);
  expect(sent.filter((r) => /\/deployments\/\d+\/statuses$/.test(r.path) && r.query.includes('per_page=100')).length, 'each deployment’s statuses once').toBe(12);
});

test('figures link to their deployments in History; the period travels in the address', async ({ page }) => {
  await openInsights(page);
  const production = row(page, 'production');
  await expect(production.getByTestId('insights-lead')).toContainText('6 commits');
  await production.getByTestId('insights-failure').getByRole('link').click();
  await expect(page).toHaveURL(/\/acme\/rhythm\/history\?.*environment=production&state=failure/);
  await expect(page.getByTestId('history-count')).toHaveText(/^1 of /);
  await page.goBack();
  await expect(row(page, 'production').getByTestId('insights-lead')).toContainText('6 commits');
  await row(page, 'production').getByTestId('insights-deployments').click();
  await expect(page).toHaveURL(/\/history\?api=[^&]+&environment=production$/);
  await page.goBack();
  await page.getByTestId('restore').getByRole('link', { name: 'deployment 4' }).click();
  await expect(page).toHaveURL(/\/deployments\/4/);
  await page.goBack();
  // A period with no deployment says so; the radio choice replaces the range in the address.
  await page.getByTestId('insights-from').fill('2026-10-01');
  await page.getByTestId('insights-to').fill('2026-10-20');
  await page.getByTestId('insights-apply').click();
  await expect(page).toHaveURL(/from=2026-10-01&to=2026-10-20/);
  await expect(page.getByTestId('insights-empty')).toBeVisible();
  await page.getByLabel('Last 7 days').check();
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByTestId('insights-empty')).toBeVisible();
});

test('the exports say what the page shows, and a hostile environment name stays text', async ({ page }) => {
  await openInsights(page);
  await expect(row(page, 'production').getByTestId('insights-lead')).toContainText('6 commits');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('insights-csv').click()]);
  expect(csv.suggestedFilename()).toBe('insights-acme-rhythm-2026-11-02-to-2026-11-15.csv');
  const rows = csvRows(await readFile(await csv.path(), 'utf8'));
  const header = rows[0];
  const production = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === 'production')[i]]));
  expect(production).toMatchObject({ deployments: '9', succeeded: '7', failed: '1', unfinished: '1', successes_per_day: '0.5',
    change_failure_rate_percent: '12.5', rolled_back: '1', restores: '1', not_restored: '0', restore_median_s: '7200',
    lead_commits: '6', lead_median_s: '3900', lead_p90_s: '176700', lead_unknown_deployments: '1' });
  expect(rows.map((r) => r[0])).toContain(HOSTILE);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('insights-json').click()]);
  const body = JSON.parse(await readFile(await json.path(), 'utf8'));
  expect(body.period).toEqual({ from: '2026-11-02T00:00:00Z', to: '2026-11-16T00:00:00Z' });
  expect(body.environments.map((e) => e.environment)).toEqual(['production', 'staging', HOSTILE]);
  // The hostile name is shown as text, in the table and as a chart's heading.
  const hostile = row(page, HOSTILE);
  await expect(hostile).toContainText(HOSTILE);
  await hostile.getByTestId('insights-choose').click();
  await expect(page.getByTestId('insights-charts').getByRole('heading')).toHaveText(`${HOSTILE} over the period`);
  expect(await page.locator('img').count(), 'no element made from the name').toBe(0);
});

test('done from the keyboard; no serious axe violation at 1280 and 390 px, light and dark', async ({ page }) => {
  await openInsights(page);
  await expect(row(page, 'production').getByTestId('insights-lead')).toContainText('6 commits');
  // Choose staging's charts with the keyboard alone.
  await row(page, 'staging').getByTestId('insights-choose').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('insights-charts')).toContainText('staging over the period');
  await expect(row(page, 'staging').getByTestId('insights-choose')).toHaveAttribute('aria-pressed', 'true');
  // The period's radios: arrow keys move the choice.
  await page.getByLabel('Last 7 days').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/days=30/);
  // The period replaces the address (as History's filters do): the range is typed again, from the keyboard.
  await page.getByTestId('insights-from').fill('2026-11-02');
  await page.getByTestId('insights-to').fill('2026-11-15');
  await page.getByTestId('insights-to').press('Enter');
  await expect(page).toHaveURL(/from=2026-11-02&to=2026-11-15/);
  await expect(row(page, 'production').getByTestId('insights-lead')).toContainText('6 commits');
  await expect(page.getByLabel('Last 30 days'), 'a range is no longer the last 30 days').not.toBeChecked();
  await page.getByTestId('insights-definitions').locator('summary').click();
  const found = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await page.waitForFunction(() => document.getAnimations().length === 0);
      for (const v of await seriousViolations(page)) found.push(`${width} ${colorScheme}: ${v}`);
      if (width === 390) await page.screenshot({ path: `tests/e2e/artifacts/insights-390-${colorScheme}.png`, fullPage: true });
    }
  }
  expect(found).toEqual([]);
  // Nothing wider than the phone's screen but the charts, which scroll on their own (a phone's table keeps its
  // header row for screen readers only, clipped to nothing: not something shown).
  const overflow = await page.evaluate(() => [...document.querySelectorAll('[data-testid="insights"] *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.chart, table.cards thead, .visually-hidden'))
    .map((el) => el.outerHTML.slice(0, 80)));
  expect(overflow).toEqual([]);
});

const fleetInsights = (repos, query = RANGE) => `/custom/_insights?repos=${repos}&api=${encodeURIComponent(FAKE)}&${query}`;

test('the fleet measures each repository’s production in one table, says why a row has no figures, and exports it', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: SHOP_TOKEN, repo: 'acme/rhythm' });
  await overviewRead(page);
  await clearRequests();
  await page.goto(fleetInsights('acme/rhythm,acme/steady,acme/quiet,acme/locked'));
  const view = page.getByTestId('fleet-insights');
  await expect(view.getByTestId('insights-read')).toHaveText('Read 11 deployments of 4 repositories.');
  const rhythm = view.locator('[data-repository="acme/rhythm"]');
  await expect(rhythm.getByTestId('insights-lead')).toContainText('median 1 h 5 min, 90th percentile 2 d 1 h (6 commits)');
  await expect(rhythm.getByTestId('insights-failure')).toContainText('12.5 % (1 of 8 finished)');
  // acme/steady: 2 successes in 14 days; commits 22 (Nov 9 08:00) and 23 (09:00) arrive at 11:00 — 3 h and 2 h.
  const steady = view.locator('[data-repository="acme/steady"]');
  await expect(steady.getByTestId('insights-lead')).toContainText('median 2 h 0 min, 90th percentile 3 h 0 min (2 commits)');
  await expect(steady).toContainText('Production');
  await expect(view.getByTestId('fleet-insights-note')).toHaveText([
    'acme/quiet: no environment with a production-like name',
    /^acme\/locked: acme\/locked was not found, or this token cannot see it/,
  ]);
  // Names in one GraphQL request; each production one page; no read of staging.
  const graphql = (await requests()).filter((r) => r.method === 'POST' && r.path === '/graphql');
  expect(graphql.length, 'names once, then one page for each of the 2 productions (and the locked one’s own)').toBeLessThanOrEqual(4);
  // The repository's name leads to its own Insights for the same period.
  await expect(rhythm.getByTestId('insights-repository')).toHaveAttribute('href', /\/custom\/acme\/rhythm\/insights\?api=.*&from=2026-11-02&to=2026-11-15$/);
  const [csv] = await Promise.all([page.waitForEvent('download'), view.getByTestId('insights-csv').click()]);
  const rows = csvRows(await readFile(await csv.path(), 'utf8'));
  expect(rows.map((r) => r.slice(0, 2))).toEqual([['repository', 'environment'], ['acme/rhythm', 'production'], ['acme/steady', 'Production'], ['acme/quiet', ''], ['acme/locked', '']]);
  // Between the fleet's two screens, the list travels.
  await view.getByRole('navigation', { name: 'Fleet views' }).getByRole('link', { name: 'Environments now' }).click();
  await expect(page).toHaveURL(/\/custom\/_fleet\?repos=acme\/rhythm,acme\/steady,acme\/quiet,acme\/locked/);
  await expect(page.getByTestId('fleet')).toBeVisible();
  await page.getByRole('navigation', { name: 'Fleet views' }).getByRole('link', { name: 'Insights' }).click();
  await expect(page.getByTestId('fleet-insights')).toBeVisible();
  await expect(page.getByTestId('fleet-insights').locator('[data-repository="acme/steady"]')).toBeVisible();
  const problems = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await page.waitForFunction(() => document.getAnimations().length === 0);
      for (const v of await seriousViolations(page)) problems.push(`${width} ${colorScheme}: ${v}`);
      if (width === 390) await page.screenshot({ path: `tests/e2e/artifacts/fleet-insights-390-${colorScheme}.png`, fullPage: true });
    }
  }
  expect(problems).toEqual([]);
});

test('the demo has Insights: its production measured over 30 days, lead time from its own history, the export equal to the table', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  await repo.view('Insights').click();
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/insights$/);
  const production = row(page, 'production');
  await expect(production.getByTestId('insights-frequency')).toHaveText(/^\d+(\.\d+)? a day \(\d+ successful in 30 days\)/);
  await expect(page.getByLabel('Last 30 days')).toBeChecked();
  // The demo's history is compared like any repository's: lead time is known for its commits.
  await expect(production.getByTestId('insights-lead')).toHaveText(/^median .+ \(\d+ commits?\)/, { timeout: 20_000 });
  const shown = {
    deployments: (await production.getByTestId('insights-deployments').textContent()).replace(/\D/g, ''),
    failure: /^([\d.]+) %/.exec(await production.getByTestId('insights-failure').textContent())?.[1],
  };
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('insights-csv').click()]);
  const rows = csvRows(await readFile(await csv.path(), 'utf8'));
  const line = rows.find((r) => r[0] === 'production');
  expect(line[rows[0].indexOf('deployments')]).toBe(shown.deployments);
  expect(line[rows[0].indexOf('change_failure_rate_percent')]).toBe(shown.failure);
});

/// acme/long: 150 deployments, production and staging in turn, each a success; with `ghost`, one more in an
/// environment that has no record (the fake told not to make one, as after an environment is deleted).
function longSeed(ghost) {
  const at = (n) => `2026-11-${String(2 + Math.floor(n / 12)).padStart(2, '0')}T${String(n % 12 + 8).padStart(2, '0')}:00:00Z`;
  const deployments = Array.from({ length: 150 }, (_, n) => ({
    id: 500 + n, ref: 'main', sha: sha(1), environment: n % 2 ? 'staging' : 'production', creator: 'mona', created_at: at(n),
    statuses: [{ state: 'success', created_at: at(n).replace(':00:00Z', ':05:00Z') }],
  }));
  if (ghost) deployments.push({ id: 700, ref: 'main', sha: sha(1), environment: 'ghost', creator: 'mona', created_at: at(3), statuses: [] });
  return {
    settings: { auto_create_environments: false },
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{ owner: 'acme', name: 'long', collaborators: { mona: 'write' }, branches: [{ name: 'main', sha: sha(1) }],
      history: [{ sha: sha(1), parent: null, message: 'One', author: 'mona', date: '2026-11-01T00:00:00Z' }],
      environments: [{ name: 'production' }, { name: 'staging' }], deployments }],
  };
}

test('a read past one page goes environment by environment side by side — unless an environment has no record', async ({ page }) => {
  for (const ghost of [false, true]) {
    await seed(longSeed(ghost));
    await openInsights(page, RANGE, 'acme/long');
    await expect(row(page, 'production').getByTestId('insights-deployments')).toHaveText('75 deployments');
    await expect(row(page, 'staging').getByTestId('insights-deployments')).toHaveText('75 deployments');
    await expect(page.getByTestId('insights-read')).toContainText(`Read ${ghost ? 151 : 150} deployments`);
    const graphql = (await requests()).filter((r) => r.method === 'POST' && r.path === '/graphql');
    if (ghost) {
      // The environments' counts (75 + 75) fall short of the repository's 151: read in one line instead.
      await expect(row(page, 'ghost').getByTestId('insights-deployments')).toHaveText('1 deployment');
      expect(graphql.length, 'the first page (with the names), each environment’s page, then the second page').toBe(4);
    } else {
      expect(graphql.length, 'the first page (with the names: no request of their own), then each environment’s one page').toBe(3);
    }
    await page.evaluate(() => sessionStorage.clear());
  }
});

test('a read asked for first starts once, however often its button is pressed', async ({ page }) => {
  // 150 deployments through REST alone: a request each for their statuses, over the 100 asked for first.
  await seed(longSeed(false));
  await settings({ graphql: 'off' });
  await openInsights(page, RANGE, 'acme/long');
  await expect(page.getByTestId('insights-cost')).toContainText('150');
  // Two presses before the page has redrawn (a double click, an impatient Enter).
  await page.getByTestId('insights-cost-accept').evaluate((button) => { button.click(); button.click(); });
  await expect(row(page, 'production').getByTestId('insights-deployments')).toHaveText('75 deployments');
  const statuses = (await requests()).filter((r) => r.method === 'GET' && /\/deployments\/\d+\/statuses$/.test(r.path));
  expect(statuses.length, 'each deployment’s statuses read once, by one read').toBe(150);
});

/// acme/line: 250 hourly deployments to production from Nov 2 00:00, deployment n of commit n (committed 30 min
/// before it, on one history), each a success 5 minutes after it: every commit but the first's arrives 35 min
/// after it was committed. Production's pages (100, 100, 50, newest first) each add a part of its line — commits
/// 151…250, 51…151, 1…51 — read while the next page is read. With `jump`, deployment 51 deploys commit 200 (an
/// early release, rolled back by 52): the part from commit 200 to 151 runs backwards, so the line is read whole.
function lineSeed(jump) {
  const hex = (n) => n.toString(16).padStart(40, '0');
  const at = (hours, minutes = 0) => new Date(Date.parse('2026-11-02T00:00:00Z') + (hours * 60 + minutes) * 60_000).toISOString().replace('.000Z', 'Z');
  const history = Array.from({ length: 250 }, (_, k) => ({ sha: hex(k + 1), parent: k ? hex(k) : null, message: `Change ${k + 1}`, author: 'mona', date: at(k + 1, -30) }));
  const deployments = Array.from({ length: 250 }, (_, k) => {
    const n = k + 1;
    return { id: 900 + n, ref: 'main', sha: hex(jump && n === 51 ? 200 : n), environment: 'production', creator: 'mona', created_at: at(n),
      statuses: [{ state: 'success', created_at: at(n, 5) }] };
  });
  return {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{ owner: 'acme', name: 'line', collaborators: { mona: 'write' }, branches: [{ name: 'main', sha: hex(250) }],
      history, environments: [{ name: 'production' }, { name: 'staging' }],
      deployments: [...deployments, { id: 1200, ref: 'main', sha: hex(250), environment: 'staging', creator: 'mona', created_at: at(251), statuses: [] }] }],
    hex,
  };
}

test('lead time’s line is read in parts while the deployments arrive — and read whole when a part runs backwards', async ({ page }) => {
  for (const jump of [false, true]) {
    const { hex, ...data } = lineSeed(jump);
    await seed(data);
    await openInsights(page, RANGE, 'acme/line');
    const production = row(page, 'production');
    await expect(production.getByTestId('insights-deployments')).toHaveText('250 deployments');
    await expect(production.getByTestId('insights-lead')).toContainText(jump ? '(249 commits)' : 'median 35 min 0 s, 90th percentile 35 min 0 s (249 commits)');
    await expect(page.getByTestId('lead-progress')).toHaveCount(0);
    const compared = (await requests()).filter((r) => r.method === 'GET' && r.path.includes('/compare/')).map((r) => r.path.split('/compare/')[1]);
    const span = (a, b) => `${hex(a)}...${hex(b)}`;
    if (!jump) {
      expect(compared.sort(), 'one request for each part, none for the whole line or a pair').toEqual([span(1, 51), span(151, 250), span(51, 151)].sort());
    } else {
      expect(compared, 'the part running backwards is tried once, then the whole line is read').toContain(span(200, 151));
      expect(compared.filter((c) => c === span(1, 250)).length, 'the whole line, its three pages').toBe(3);
    }
    await page.evaluate(() => sessionStorage.clear());
  }
});
