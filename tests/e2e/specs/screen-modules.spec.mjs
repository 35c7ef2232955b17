import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

// The on-demand modules of scripts/build-app.sh: split_NAME.wasm per split point, chunk_N.wasm for shared code.
const moduleName = (url) => new URL(url).pathname.match(/\/pkg-[0-9a-f]+\/((?:split|chunk)_[^/]+)\.wasm$/)?.[1];

function recordModules(page) {
  const modules = [];
  page.on('request', (r) => {
    const name = moduleName(r.url());
    if (name) modules.push(name);
  });
  return modules;
}

test('the repository screens load as their own module, only when a repository is opened, and once', async ({ page }) => {
  const modules = recordModules(page);
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
  expect(modules).toContain('split_repo_screen');
  expect(modules, 'the demo checks no token').not.toContain('split_connect_check');
  expect(new Set(modules).size, 'no module is fetched twice').toBe(modules.length);
});

test('the token check loads once the connect form is first used, before Connect is pressed', async ({ page }) => {
  const modules = recordModules(page);
  const connect = new ConnectPage(page);
  await connect.open();
  expect(modules).toEqual([]);
  await connect.token.focus();
  await expect.poll(() => modules).toContain('split_connect_check');
});

test('a screen module that cannot be fetched says so and offers a reload that recovers', async ({ page }) => {
  let failing = true;
  await page.route(/\/(split|chunk)_[^/]+\.wasm$/, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  const failed = page.getByTestId('screen-load-failed');
  await expect(failed).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This screen could not be loaded');
  await expect(failed).toContainText('Reload the page to try again');
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/overview$/);
  failing = false;
  await failed.getByRole('button', { name: 'Reload' }).click();
  await repo.expectOverview('acme/storefront');
  await expect(repo.rows).toHaveCount(10);
});

test('a token check whose module cannot be fetched says so and keeps the form as typed; Connect again works', async ({ page }) => {
  let failing = true;
  await page.route(/\/(split|chunk)_[^/]+\.wasm$/, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-good', repo: 'acme/web' });
  const failed = page.getByTestId('screen-load-failed');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('what you typed is kept');
  await expect(connect.token).toHaveValue('t-good');
  await expect(connect.repository).toHaveValue('acme/web');
  const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('deploydeck.token')));
  expect(kept, 'a token whose check did not run is not kept').toEqual([]);
  failing = false;
  await connect.connectButton.click();
  await repo.expectOverview('acme/web');
});
