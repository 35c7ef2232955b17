import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';

test('a bad token is refused with the way forward, and nothing typed is lost', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 'not-a-real-token', repo: 'acme/web' });
  await expect(connect.error).toContainText('GitHub did not accept the token (Bad credentials).');
  await expect(connect.error).toContainText('Create a new token');
  await expect(page).toHaveURL(/\/$/);
  await expect(connect.repository).toHaveValue('acme/web');
  await expect(connect.token).toHaveValue('not-a-real-token');
  await expect(connect.customBase).toHaveValue(FAKE);
  await expect(page.getByTestId('where')).not.toContainText(FAKE);
  await expect(page.getByTestId('rate-gauge')).toHaveCount(0);
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  expect(stored).not.toContain('not-a-real-token');
  await page.screenshot({ path: 'tests/e2e/artifacts/connect-bad-token.png', fullPage: true });
});
