import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

test('a reload lands on the same screen, with a token kept for this tab', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-good', repo: 'acme/web', keep: 'tab' });
  await repo.expectOverview('acme/web');
  await repo.nav.getByRole('link', { name: 'History' }).click();
  const deepLink = page.url();
  expect(deepLink).toMatch(/\/custom\/acme\/web\/history\?api=/);
  await page.reload();
  await expect(page).toHaveURL(deepLink);
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await expect(repo.where).toContainText('acme/web');
  await repo.screenshot('deep-link-reloaded');
});

test('a deep link opened without a kept token asks for it in place, filled in, then opens the screen', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await page.goto(`/custom/acme/web/overview?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Connect to open acme/web' })).toBeVisible();
  await expect(connect.repository).toHaveValue('acme/web');
  await expect(connect.customBase).toHaveValue(FAKE);
  await connect.keepToken('memory');
  await connect.token.fill('t-good');
  await connect.connectButton.click();
  await repo.expectOverview('acme/web');
  await repo.screenshot('deep-link-connect');
  // Memory only: nothing in storage, and a reload asks again.
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  expect(stored).not.toContain('t-good');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Connect to open acme/web' })).toBeVisible();
});

test.describe('with the token kept on this device', () => {
  test.use({ tokenOnDevice: true });

  test('forget token removes it and returns to the start', async ({ page }) => {
    const connect = new ConnectPage(page);
    const repo = new RepoPage(page);
    await connect.open();
    await connect.connect({ base: FAKE, token: 't-good', repo: 'acme/web', keep: 'device' });
    await repo.expectOverview('acme/web');
    expect(await page.evaluate(() => JSON.stringify(localStorage))).toContain('t-good');
    await repo.forget.click();
    await expect(connect.form).toBeVisible();
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain('t-good');
    await expect(page.getByTestId('recent')).toContainText('acme/web');
  });
});
