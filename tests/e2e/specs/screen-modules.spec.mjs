import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seed, TIDY, SHOP_TOKEN } from '../support/fake.mjs';

// The on-demand modules of scripts/build-app.sh: split_NAME.wasm per split point, chunk_N.wasm for shared code,
// and pack_NAME.wasm: split_NAME's module with the chunks the app and the repository frame do not bring (named here after
// the module it carries; `files` records every file as fetched).
const moduleName = (url) => new URL(url).pathname.match(/\/pkg-[0-9a-f]+\/((?:split|chunk|pack)_[^/]+)\.wasm$/)?.[1]
  ?.replace(/^pack_/, 'split_');
const fileName = (url) => new URL(url).pathname.match(/\/pkg-[0-9a-f]+\/((?:split|chunk|pack)_[^/]+)\.wasm$/)?.[1];

/// Every on-demand module's file but the app's own (first-screen.spec.mjs covers an app that cannot be fetched).
const screenModules = /\/(split|chunk|pack)_(?!app_root\.)[^/]+\.wasm$/;

function recordModules(page, files = []) {
  const modules = [];
  page.on('request', (r) => {
    const name = moduleName(r.url());
    if (name) {
      modules.push(name);
      files.push(fileName(r.url()));
    }
  });
  return modules;
}

test('the repository screens load as their own module, only when a repository is opened, and once', async ({ page }) => {
  const modules = recordModules(page);
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  expect(modules, 'the connect screen fetches the app alone, none of the repository screens').toEqual(['split_app_root']);
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

test('the repository frame and each screen come as one file with the chunks they need; a screen whose chunks are mostly in comes as files', async ({ page }) => {
  const files = [];
  const modules = recordModules(page, files);
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  expect(files).toContain('pack_repo_screen');
  await repo.nav.getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('history-view')).toBeVisible();
  expect(files).toContain('pack_history_view');
  expect(files.filter((f) => f.startsWith('chunk_')), 'no chunk comes as its own file').toEqual([]);
  // Create needs few chunks that History and the frame have not brought: its module and those come as files.
  await repo.nav.getByRole('link', { name: 'Create' }).click();
  await expect(page.getByTestId('deployment-form')).toBeVisible();
  expect(modules).toContain('split_create_view');
  expect(new Set(files).size, 'no file is fetched twice').toBe(files.length);
  expect(new Set(modules).size, 'no module is fetched twice').toBe(modules.length);
});

test('Cleanup opens with its plan only: the confirmation, the script, the run and the empty environments load when first used', async ({ page }) => {
  const modules = recordModules(page);
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  await repo.nav.getByRole('link', { name: 'Cleanup' }).click();
  await expect(page.getByTestId('cleanup-form')).toBeVisible();
  await expect(page.getByTestId('plan-count')).toHaveText(/will be deleted|Nothing|kept/, { timeout: 20_000 });
  const parts = ['split_cleanup_run', 'split_cleanup_confirm', 'split_cleanup_environments', 'split_cleanup_script'];
  expect(modules).toContain('split_cleanup_view');
  expect(modules.filter((m) => parts.includes(m)), 'the plan carries none of its later steps').toEqual([]);
  await page.getByTestId('find-empty-environments').click();
  await expect.poll(() => modules).toContain('split_cleanup_environments');
  await page.getByTestId('review-run').click();
  await expect(page.getByTestId('start-run')).toBeVisible();
  expect(modules).toContain('split_cleanup_confirm');
  expect(modules, 'the script is made only when asked for').not.toContain('split_cleanup_script');
  const file = page.waitForEvent('download');
  await page.getByTestId('download-script').click();
  expect((await file).suggestedFilename()).toBe('deploydeck-cleanup-acme-storefront.sh');
  expect(modules).toContain('split_cleanup_script');
  expect(modules).not.toContain('split_cleanup_run');
  expect(new Set(modules).size, 'no module is fetched twice').toBe(modules.length);

  // The parts come and go with the plan, as plain parts of the screen: a selection made wrong while the
  // confirmation is open closes it (the page's own check: no page error), and mended, it opens again at once.
  await page.getByLabel('SHA', { exact: true }).fill('not-hex');
  await expect(page.getByTestId('plan-count')).toHaveText('Correct the selection to see the plan.');
  await expect(page.getByTestId('confirm')).toHaveCount(0);
  await page.getByLabel('SHA', { exact: true }).fill('');
  await expect(page.getByTestId('start-run')).toBeVisible();
  await page.getByRole('button', { name: 'Back to the plan' }).click();
  await expect(page.getByTestId('confirm')).toHaveCount(0);
  await page.getByTestId('review-run').click();
  await expect(page.locator('#confirm-heading'), 'focused as it opens, as before').toBeFocused();
  expect(new Set(modules).size, 'no module is fetched again').toBe(modules.length);
});

test('a deep link fetches the repository frame and its screen together, not one after the other', async ({ page }) => {
  // The frame's module is held until the screen's has been asked for: loaded one after the other, the
  // screen would never come.
  let screenAsked;
  const asked = new Promise((resolve) => { screenAsked = resolve; });
  const modules = recordModules(page);
  await page.route(/\/(split|pack)_cleanup_view\.wasm$/, (route) => { screenAsked(); return route.continue(); });
  await page.route(/\/(split|pack)_repo_screen\.wasm$/, async (route) => { await asked; return route.continue(); });
  await page.goto('/demo/acme/storefront/cleanup');
  await expect(page.getByTestId('cleanup-form')).toBeVisible({ timeout: 20_000 });
  expect(modules).toEqual(expect.arrayContaining(['split_repo_screen', 'split_cleanup_view']));
  expect(new Set(modules).size, 'no module is fetched twice').toBe(modules.length);
});

test('the token check loads once the connect form is first used, before Connect is pressed', async ({ page }) => {
  const modules = recordModules(page);
  const connect = new ConnectPage(page);
  await connect.open();
  expect(modules, 'the app alone').toEqual(['split_app_root']);
  await connect.token.focus();
  await expect.poll(() => modules).toContain('split_connect_check');
});

test('a screen module that cannot be fetched says so and offers a reload that recovers', async ({ page }) => {
  let failing = true;
  await page.route(screenModules, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
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
  await page.route(screenModules, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
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

test('a deployment’s page reads the deployment and its statuses while its code is still on its way, and each once', async ({ page }) => {
  await seed(TIDY.seed);
  const cleanup = new CleanupPage(page);
  const repo = new RepoPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  // The page's module is held back until both reads have gone out: they are started by the repository frame
  // with the click, not by the page once its code is here (issue 30: a round trip sooner on a slow phone).
  const events = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/(split|pack)_deployment_page\.wasm$/, async (route) => {
    events.push('module asked');
    await held;
    events.push('module released');
    await route.continue();
  });
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'GET' && /^\/repos\/acme\/tidy\/deployments\/3016(\/statuses)?$/.test(path)) events.push(`GET ${path}`);
  });
  await repo.view('Overview').click();
  await page.locator('a[href*="/deployments/3016?"]').first().click();
  await expect.poll(() => events.filter((e) => e.startsWith('GET')).sort()).toEqual([
    'GET /repos/acme/tidy/deployments/3016', 'GET /repos/acme/tidy/deployments/3016/statuses']);
  expect(events, 'both reads went out while the module was held').toContain('module asked');
  expect(events).not.toContain('module released');
  release();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deployment 3016 to staging');
  await expect(page.getByTestId('deployment-page').locator('form')).toBeVisible();
  await expect(page.getByTestId('delete-explanation')).toBeVisible();
  expect(events.filter((e) => e === 'GET /repos/acme/tidy/deployments/3016'), 'the deployment is read once').toHaveLength(1);
});

test('a deployment’s page is usable before the code of its delete section, which comes in its own module once the deployment is read', async ({ page }) => {
  const modules = recordModules(page);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/(split|pack)_deployment_delete\.wasm$/, async (route) => { await held; await route.continue(); });
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  await page.locator('[data-testid=recent-deployments] a[href*="/deployments/"]').first().click();
  // The page reads, shows its statuses and takes a status while the delete section's code is held back.
  const form = page.getByTestId('deployment-page').locator('form');
  await expect(form).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Statuses/ })).toBeVisible();
  await expect.poll(() => modules, 'asked for once the deployment is read').toContain('split_deployment_delete');
  await expect(page.getByTestId('delete-deployment')).toHaveCount(0);
  await expect(page.getByTestId('post-status')).toBeEnabled();
  release();
  await expect(page.getByTestId('delete-explanation')).toBeVisible();
  expect(new Set(modules).size, 'no module is fetched twice').toBe(modules.length);
});
