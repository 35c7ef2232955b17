import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

test('an under-scoped classic token is told which scope to add before it hits a wall', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-narrow', repo: 'acme/web' });
  await repo.expectOverview('acme/web');
  await expect(repo.access).toContainText('its scopes do not allow writing them');
  await expect(repo.access).toContainText('repo_deployment');
  await expect(repo.access.getByText('No', { exact: false }).first()).toBeVisible();
  await repo.screenshot('connect-under-scoped');
});

test('a fine-grained token is told plainly that write access shows on the first change', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-fine', repo: 'acme/web' });
  await repo.expectOverview('acme/web');
  await expect(repo.access).toContainText('whether it can write them shows on the first change');
  await expect(repo.access).toContainText('Deployments: read and write');
});
