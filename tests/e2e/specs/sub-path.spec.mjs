import { test, expect } from '../fixtures.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { APP_UNDER_SUB_PATH } from '../playwright.config.mjs';

test('built with --public-url /sub/, the app works under that path, deep links and reloads included', async ({ page }) => {
  // A reloaded deep link is answered with 404.html and status 404, as GitHub Pages does: expected. What must
  // never fail is an asset (script, wasm, style) or the page itself.
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  const assets = [];
  page.on('request', (r) => r.resourceType() !== 'document' && assets.push(new URL(r.url()).pathname));
  const repo = new RepoPage(page);
  await page.goto(`${APP_UNDER_SUB_PATH}/`);
  await page.getByRole('link', { name: 'Try the demo' }).click();
  await expect(page).toHaveURL(`${APP_UNDER_SUB_PATH}/demo/acme/storefront/overview`);
  await expect(repo.rows).toHaveCount(10);
  await repo.nav.getByRole('link', { name: 'History' }).click();
  await expect(page).toHaveURL(`${APP_UNDER_SUB_PATH}/demo/acme/storefront/history`);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await page.getByRole('link', { name: 'Deploydeck' }).click();
  await expect(page).toHaveURL(`${APP_UNDER_SUB_PATH}/`);
  await expect(repo.demoBadge, 'the start page is not the demo').toHaveCount(0);
  expect(errors).toEqual([]);
  expect(assets.length).toBeGreaterThan(3);
  expect(assets.every((path) => path.startsWith('/sub/')), `every asset under /sub/: ${assets}`).toBe(true);
  await page.screenshot({ path: 'tests/e2e/artifacts/sub-path.png', fullPage: true });
});
