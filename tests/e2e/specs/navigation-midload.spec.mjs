// Leaving a view while it is still loading (or running) must never break the page: every task a view starts
// stops with it (src/tasks.rs). The suite's fixture already fails on any page error; these specs also check
// the console for a Rust panic ("panicked at", "already been disposed") and that the page still works after.
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { seed, latency, calm, settings, TIDY, SHOP_TOKEN, historySeed } from '../support/fake.mjs';

const VIEWS = ['Overview', 'Create', 'History', 'Reviews', 'Cleanup', 'Deployment'];

test.beforeEach(async () => {
  await calm();
  await seed(TIDY.seed);
});

test.afterEach(async () => {
  await calm();
});

/// Console lines that mean the app panicked.
function watchPanics(page) {
  const panics = [];
  page.on('console', (m) => {
    if (/panicked at|already been disposed|RuntimeError|unreachable/i.test(m.text())) panics.push(m.text());
  });
  return panics;
}

async function go(page, repo, view) {
  if (view === 'Deployment') {
    await page.locator('a[href*="/deployments/3016?"]').first().click();
  } else {
    await repo.view(view).click();
  }
}

test('moving between every pair of views while the first is still loading breaks nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const panics = watchPanics(page);
  const cleanup = new CleanupPage(page);
  const repo = new RepoPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  // Every answer now takes 300 ms: each view is left mid-load.
  await latency(300);
  for (const from of VIEWS) {
    for (const to of VIEWS) {
      if (from === to) continue;
      await repo.view('Overview').click();
      await expect(repo.overview).toBeVisible();
      if (from !== 'Overview') await go(page, repo, from);
      await page.waitForTimeout(120);
      // The deployment page is reached from a link on the overview (its rows) or History's rows.
      if (to === 'Deployment') {
        await repo.view('Overview').click();
        // The overview checks access, then lists, each a preflight and a request at 300 ms: on a busy machine
        // more than Playwright's default 5 s (issue 37). A condition waited for, with room for the latency.
        await expect(page.locator('a[href*="/deployments/3016?"]').first()).toBeVisible({ timeout: 20_000 });
      }
      await go(page, repo, to);
      await page.waitForTimeout(80);
    }
  }
  await calm();
  await repo.view('History').click();
  await expect(page.getByTestId('history-count')).toHaveText(/^17 of 17 deployments shown/);
  expect(panics, 'no panic in the console').toEqual([]);
});

test('leaving a deployment page while its delete section is still checking whether it is live breaks nothing', async ({ page }) => {
  // The page reads the deployment, then its statuses; a success then asks whether a newer one of its
  // environment replaced it (the delete section's "Checking what GitHub allows…"). That answer arriving after
  // the page is gone once re-rendered the section under its disposed owner: a panic, and the app stopped.
  // Left at many moments of the read, so some leave between the statuses and the liveness answer.
  test.setTimeout(120_000);
  const panics = watchPanics(page);
  const cleanup = new CleanupPage(page);
  const repo = new RepoPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await latency(200);
  for (let wait = 300; wait <= 1_500; wait += 100) {
    await repo.view('Overview').click();
    await expect(page.locator('a[href*="/deployments/3016?"]').first()).toBeVisible({ timeout: 20_000 });
    await go(page, repo, 'Deployment');
    await page.waitForTimeout(wait);
    await repo.view('Overview').click();
  }
  await calm();
  // Every answer still on its way lands on a page that left; then the page still works.
  await page.waitForTimeout(1_000);
  await go(page, repo, 'Deployment');
  await expect(page.getByTestId('delete-explanation')).toBeVisible();
  expect(panics, 'no panic in the console').toEqual([]);
});

test('History → Apply filters → Clear → Cleanup in quick succession breaks nothing', async ({ page }) => {
  const panics = watchPanics(page);
  await seed(historySeed(250));
  // Without GraphQL, as on a server without it: the plan's 250 states are then asked about first.
  await settings({ graphql: 'off' });
  const cleanup = new CleanupPage(page);
  const repo = new RepoPage(page);
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: SHOP_TOKEN, repo: 'acme/hist' });
  await repo.expectOverview('acme/hist');
  await latency(150);
  for (let i = 0; i < 8; i++) {
    await repo.view('History').click();
    await page.getByLabel('Environment').fill('staging');
    await page.getByTestId('apply-filters').click();
    await page.getByRole('button', { name: 'Clear' }).click();
    await repo.view('Cleanup').click();
    await page.waitForTimeout(50 * (i % 4));
  }
  // The latency goes, GraphQL stays off: calm() would turn it back on, and a plan whose states are read after
  // that reads them through GraphQL (3 points, nothing to ask) — which a busy machine reached when the loop had
  // left the overview before its GraphQL read could find GraphQL absent.
  await latency(0);
  await expect(page.getByTestId('cleanup-view')).toBeVisible();
  // 250 deployments' states cost more than 100 requests: asked first, then planned.
  await page.getByTestId('cost-question-accept').click();
  await cleanup.expectReady();
  expect(panics, 'no panic in the console').toEqual([]);
});

test('leaving a cleanup mid-run and coming back breaks nothing; the run goes on meanwhile and its panel follows it again', async ({ page }) => {
  const panics = watchPanics(page);
  const cleanup = new CleanupPage(page);
  const repo = new RepoPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  await latency(250);
  await cleanup.run();
  await expect(cleanup.summary).toHaveText(/^[1-9]\d* of 16 done/, { timeout: 15_000 });
  for (const view of ['History', 'Overview', 'Create']) {
    await repo.view(view).click();
    await page.waitForTimeout(150);
    await repo.view('Cleanup').click();
    await page.waitForTimeout(150);
  }
  await calm();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  expect(panics, 'no panic in the console').toEqual([]);
});
