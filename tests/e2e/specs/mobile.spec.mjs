// A phone (390×844): every screen fits the width — nothing scrolls sideways — and keeps its controls usable.
// A screenshot of each, in light and dark, goes to tests/e2e/artifacts/mobile-*.png.
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { seed, calm, TIDY, SHOP_TOKEN } from '../support/fake.mjs';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test.beforeEach(async () => {
  await calm();
  await seed(TIDY.seed);
});

/// Fails when anything makes the page wider than the screen, naming the widest culprits.
async function fits(page, name) {
  const report = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > width + 1 && !el.closest('.table-scroll, .history-scroll, .chart, pre');
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scroll: document.documentElement.scrollWidth, width, wide };
  });
  expect(report.scroll, `${name}: page ${report.scroll}px wide on a ${report.width}px screen: ${report.wide.join('; ')}`).toBeLessThanOrEqual(report.width);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `tests/e2e/artifacts/mobile-${name}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('every screen fits a phone: connect, overview, Create, History, a deployment, Cleanup (plan, confirmation, run), the demo', async ({ page }) => {
  test.setTimeout(90_000);
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await fits(page, 'connect');

  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await fits(page, 'cleanup-plan');
  // The selection comes before the plan, and stays short: the environments are a field and a list on demand.
  const formHeight = await page.getByTestId('cleanup-form').evaluate((el) => el.getBoundingClientRect().height);
  expect(formHeight, 'the selection form on a phone').toBeLessThan(1800);

  await repo.view('Overview').click();
  await expect(repo.rows.first()).toBeVisible();
  await fits(page, 'overview');
  // A login is never broken one letter per line.
  const by = repo.rows.first().locator('td[data-label="By"]');
  await expect(by).toBeVisible();
  const lines = await by.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
  expect(lines, 'a login keeps to a line or two').toBeLessThanOrEqual(2);

  await repo.view('Create').click();
  await expect(page.getByTestId('deployment-form')).toBeVisible();
  await fits(page, 'create');

  await repo.view('History').click();
  await expect(page.getByTestId('history-count')).toHaveText(/^17 of 17 deployments shown/);
  await fits(page, 'history');

  await page.getByTestId('history-row').first().getByRole('link').first().click();
  await expect(page.getByTestId('status-form')).toBeVisible();
  await fits(page, 'deployment');

  await repo.view('Cleanup').click();
  await cleanup.expectReady();
  await cleanup.selectAll();
  await cleanup.review.click();
  await expect(page.getByRole('heading', { name: 'Before anything is deleted' })).toBeInViewport();
  await fits(page, 'cleanup-confirm');
  await cleanup.confirmLive();
  await cleanup.start.click();
  await cleanup.expectFinished();
  await fits(page, 'cleanup-report');

  await page.goto('/');
  await connect.tryDemo.click();
  await expect(repo.overview).toBeVisible();
  await expect(repo.rows.first()).toBeVisible();
  await fits(page, 'demo');
  // The header keeps the repository's name readable: one line for it, not a column a few letters wide.
  const where = await repo.where.evaluate((el) => el.getBoundingClientRect().width);
  expect(where, 'the header gives the repository room').toBeGreaterThan(200);
});
