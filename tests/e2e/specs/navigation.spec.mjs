import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';

test('links move between screens without reloading the page, and back and forward follow them', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  // A marker on the page's window: a full reload would lose it.
  await page.evaluate(() => { window.__sameDocument = true; });
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  await repo.nav.getByRole('link', { name: 'History' }).click();
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/history$/);
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await expect(repo.nav.getByRole('link', { name: 'History' })).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/overview$/);
  await repo.expectOverview('acme/storefront');
  await page.goBack();
  await expect(connect.form).toBeVisible();
  await page.goForward();
  await repo.expectOverview('acme/storefront');
  await page.getByRole('link', { name: 'Deploydeck' }).click();
  await expect(connect.form).toBeVisible();
  expect(await page.evaluate(() => window.__sameDocument), 'no navigation reloaded the page').toBe(true);
});

test('a link clicked with a modifier key is left to the browser (a new tab), the page stays put', async ({ page, context }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  const opened = context.waitForEvent('page');
  await connect.tryDemo.click({ modifiers: ['Control'] });
  const tab = await opened;
  await tab.waitForLoadState();
  expect(new URL(tab.url()).pathname).toBe('/demo/acme/storefront/overview');
  await expect(page).toHaveURL(/\/$/);
  await expect(connect.form).toBeVisible();
  await tab.close();
});

test('an address that is no screen says so, with a way back', async ({ page }) => {
  await page.goto('/github.com/acme/web/nonsense-view');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await page.getByRole('link', { name: 'Start again' }).click();
  await expect(new ConnectPage(page).form).toBeVisible();
});
