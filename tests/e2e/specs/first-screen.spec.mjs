// The first screen before the app arrives: index.html's static copy of it shows at once, can be typed into,
// and the app takes it over without a flash — nothing typed lost, the focus kept, nothing moving — and a
// Connect pressed before then is carried out. The app's wasm is held back here until the test lets it go.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

/// Holds every request for the app's wasm until `release()` is called.
async function holdTheApp(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/deploydeck_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

const app = (page) => page.locator('form[data-testid="connect-form"]');

/// Where each of these is on the page (to the pixel): the same before and after the takeover means no flash.
async function boxes(page) {
  return page.evaluate(() => ['h1', '#token', '#repo', '#custom-base', 'fieldset'].map((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect();
    return r && [s, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
  }));
}

test('the static first screen can be typed into; the app takes it over keeping every value and the focus, with nothing moving', async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'GitHub Deployments, from your browser' })).toBeVisible();
  await expect(app(page)).toHaveCount(0);
  await page.getByLabel('Custom API address').check();
  await page.getByLabel('API base URL').fill(FAKE);
  await page.getByLabel('Personal access token').fill('t-good');
  await page.getByLabel('Memory only (gone on reload)').check();
  await page.getByLabel('Repository').fill('acme/web');
  await page.getByLabel('Repository').press('ArrowLeft');
  const before = await boxes(page);
  await page.screenshot({ path: 'tests/e2e/artifacts/first-screen-static.png' });

  release();
  await expect(app(page)).toBeVisible();
  await expect(page.locator('#boot-screen')).toHaveCount(0);
  await expect(page.getByLabel('Custom API address')).toBeChecked();
  await expect(page.getByLabel('API base URL')).toHaveValue(FAKE);
  await expect(page.getByLabel('Personal access token')).toHaveValue('t-good');
  await expect(page.getByLabel('Memory only (gone on reload)')).toBeChecked();
  await expect(page.getByLabel('Repository')).toHaveValue('acme/web');
  await expect(page.getByLabel('Repository')).toBeFocused();
  expect(await page.getByLabel('Repository').evaluate((el) => el.selectionStart), 'the caret where it was').toBe('acme/web'.length - 1);
  expect(await boxes(page), 'nothing moved when the app took over').toEqual(before);
  await page.screenshot({ path: 'tests/e2e/artifacts/first-screen-app.png' });

  // And it is the app's form now: Connect works.
  await page.getByRole('button', { name: 'Connect' }).click();
  await new RepoPage(page).expectOverview('acme/web');
});

test('Connect pressed on the static screen, before the app arrived, is carried out when it does', async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  await page.getByLabel('Custom API address').check();
  await page.getByLabel('API base URL').fill(FAKE);
  await page.getByLabel('Personal access token').fill('t-good');
  await page.getByLabel('Repository').fill('acme/web');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('button', { name: 'Checking the token…' })).toBeVisible();
  release();
  await new RepoPage(page).expectOverview('acme/web');
});

test('a deep link says "Opening…" until its screen exists, never the connect form', async ({ page }) => {
  const release = await holdTheApp(page);
  const asked = [];
  page.on('request', (r) => { if (r.url().endsWith('/split_app_root.wasm')) asked.push(r.url()); });
  await page.goto(`/custom/acme/web/history?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByRole('status').filter({ hasText: 'Opening…' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'GitHub Deployments, from your browser' })).toBeHidden();
  release();
  // No token is kept in this fresh tab: the app asks for it in place, for this repository.
  await expect(new ConnectPage(page).form).toBeVisible();
  await expect(page.getByLabel('Repository')).toHaveValue('acme/web');
  expect(asked, 'the app, preloaded with the page, is fetched once').toHaveLength(1);
});

// The first load is the page and the first module only: the app itself (its module) is fetched once the page
// wants it (public/boot.js) — for a new visitor, once the static first screen is painted, or at the first
// interaction if that comes first.
const appPack = '**/split_app_root.wasm';

test('the static first screen shows and takes typing while the app is held back; the app is fetched once', async ({ page }) => {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const asked = [];
  await page.route(appPack, async (route) => {
    asked.push(route.request().url());
    await released;
    await route.continue();
  });
  await page.goto('/');
  await expect.poll(() => asked.length, 'the app is asked for without any interaction').toBe(1);
  await expect(page.getByRole('heading', { level: 1, name: 'GitHub Deployments, from your browser' })).toBeVisible();
  await page.getByLabel('Personal access token').fill('t-good');
  await expect(app(page)).toHaveCount(0);
  release();
  await expect(app(page)).toBeVisible();
  await expect(page.getByLabel('Personal access token')).toHaveValue('t-good');
  await expect(page.getByLabel('Personal access token')).toBeFocused();
  expect(asked, 'one request: the preload is the loader\'s own fetch').toHaveLength(1);
});

test('an app that cannot be fetched is said on the static screen; Connect tries again, keeping what was typed', async ({ page }) => {
  let failing = true;
  await page.route(appPack, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/');
  await page.getByLabel('Custom API address').check();
  await page.getByLabel('API base URL').fill(FAKE);
  await page.getByLabel('Personal access token').fill('t-good');
  await page.getByLabel('Repository').fill('acme/web');
  await expect(page.getByRole('alert')).toContainText('Deploydeck could not be loaded: its code could not be fetched. Check the connection, then press Connect again');
  await expect(page.getByRole('button', { name: 'Connect' })).toBeVisible();
  await expect(app(page)).toHaveCount(0);
  failing = false;
  await page.getByRole('button', { name: 'Connect' }).click();
  await new RepoPage(page).expectOverview('acme/web');
});

test('a deep link whose app cannot be fetched says so where it said "Opening…"', async ({ page }) => {
  await page.route(appPack, (route) => route.abort('internetdisconnected'));
  await page.goto(`/custom/acme/web/history?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByRole('alert').filter({ visible: true })).toHaveText('Deploydeck could not be loaded: its code could not be fetched. Check the connection, then reload the page.');
  await expect(page.getByRole('heading', { name: 'GitHub Deployments, from your browser' })).toBeHidden();
});
