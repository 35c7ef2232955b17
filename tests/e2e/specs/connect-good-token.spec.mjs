import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

test('a good token connects and says it can read and write deployments', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await page.screenshot({ path: 'tests/e2e/artifacts/connect.png', fullPage: true });
  await connect.connect({ base: FAKE, token: 't-good', repo: 'acme/web' });
  await expect(page).toHaveURL(/\/custom\/acme\/web\/overview\?api=http%3A%2F%2F127\.0\.0\.1%3A18788$/);
  await repo.expectOverview('acme/web');
  await expect(repo.access).toContainText('This token can read and write deployments here.');
  await expect(repo.where).toContainText(FAKE);
  await expect(repo.where).toContainText('acme/web');
  await expect(repo.gauge).toContainText('/ 5000 requests left');
  await expect(page.getByTestId('no-deployments')).toBeVisible();
  expect(page.url()).not.toContain('t-good');
  await repo.screenshot('overview-connected');
});
