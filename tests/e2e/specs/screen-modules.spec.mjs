import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';

const isScreenModule = (url) => /\/pkg-[0-9a-f]+\/split_[^/]+\.wasm$/.test(new URL(url).pathname);

test('the repository screens load as their own module, only when a repository is opened, and once', async ({ page }) => {
  const modules = [];
  page.on('request', (r) => {
    if (isScreenModule(r.url())) modules.push(new URL(r.url()).pathname);
  });
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  expect(modules, 'the connect screen does not fetch the repository screens').toEqual([]);
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  for (const view of ['History', 'Overview']) {
    await repo.nav.getByRole('link', { name: view }).click();
  }
  await expect(repo.rows).toHaveCount(10);
  expect(modules).toHaveLength(1);
  expect(modules[0]).toMatch(/split_repo_screen\.wasm$/);
});

test('a screen module that cannot be fetched says so and offers a reload that recovers', async ({ page }) => {
  let failing = true;
  await page.route(/\/split_[^/]+\.wasm$/, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  const failed = page.getByTestId('screen-load-failed');
  await expect(failed).toBeVisible();
  await expect(failed.getByRole('heading', { level: 1 })).toHaveText('This screen could not be loaded');
  await expect(failed).toContainText('Reload the page to try again');
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/overview$/);
  failing = false;
  await failed.getByRole('button', { name: 'Reload' }).click();
  await repo.expectOverview('acme/storefront');
  await expect(repo.rows).toHaveCount(10);
});
