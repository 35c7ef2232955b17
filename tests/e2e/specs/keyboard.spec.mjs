// Issue 8, item 5: the three views — Create (with a status posted), History and Cleanup — used with the
// keyboard alone (Tab, Shift+Tab, Enter, Space, typing), every focused control showing where focus is.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { CreatePage, DeploymentPage } from '../pages/create-page.mjs';
import { HistoryPage } from '../pages/history-page.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seed, api, calm, SHOP_SEED, TIDY, SHOP_TOKEN } from '../support/fake.mjs';
import { FAKE } from '../playwright.config.mjs';

test.beforeEach(async () => {
  await calm();
});

/// What has focus now, and whether it is visibly marked (an outline or a focus ring drawn as a shadow).
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { none: true };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return { none: false, marked: outline || s.boxShadow !== 'none', what: el.outerHTML.slice(0, 100) };
  });
}

/// Presses Tab until `target` has focus (at most `max` times); every control focused on the way must show it.
async function tabTo(page, target, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (!now.none) expect(now.marked, `focus is visible on ${now.what}`).toBe(true);
    if ((await target.count()) > 0 && (await target.evaluate((el) => el === document.activeElement))) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

/// Tabs into `radio`'s group (one Tab stop) and moves to it with the arrow keys.
async function chooseRadio(page, radio) {
  const group = await radio.getAttribute('name');
  // The group's Tab stop is its checked radio, or its first when none is checked.
  const radios = page.locator(`input[type=radio][name="${group}"]`);
  const checked = radios.and(page.locator(':checked'));
  await tabTo(page, (await checked.count()) > 0 ? checked : radios.first());
  for (let i = 0; i < 10 && !(await radio.isChecked()); i++) await page.keyboard.press('ArrowDown');
  await expect(radio).toBeChecked();
  await expect(radio).toBeFocused();
  const now = await focused(page);
  expect(now.marked, `focus is visible on ${now.what}`).toBe(true);
}

async function connect(page, repo) {
  const connect = new ConnectPage(page);
  await connect.open();
  // The connect form by keyboard too: type in the focused field, move with Tab, choose with arrows/Space.
  await chooseRadio(page, page.getByLabel('Custom API address'));
  await tabTo(page, connect.customBase);
  await page.keyboard.type(FAKE);
  await tabTo(page, connect.token);
  await page.keyboard.type(SHOP_TOKEN);
  await tabTo(page, connect.repository);
  await page.keyboard.type(repo);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('overview')).toBeVisible();
}

const nav = (page, name) => new RepoPage(page).view(name);

test('Create by keyboard: a deployment is made, then a status posted on its page', async ({ page }) => {
  await seed(SHOP_SEED);
  await connect(page, 'acme/shop');
  await tabTo(page, nav(page, 'Create'));
  await page.keyboard.press('Enter');
  const create = new CreatePage(page);
  await expect(create.form).toBeVisible();
  await tabTo(page, create.ref);
  await page.keyboard.type('main');
  await tabTo(page, create.environment);
  await page.keyboard.type('staging');
  await tabTo(page, create.description);
  await page.keyboard.type('by keyboard');
  await tabTo(page, create.create);
  await page.keyboard.press('Enter');
  const deployment = new DeploymentPage(page);
  await expect(deployment.root).toBeVisible();
  const id = deployment.idFromUrl();
  await deployment.expectOpen(id, 'staging');

  // A radio group is one Tab stop; the arrow keys choose within it.
  await chooseRadio(page, deployment.form.getByRole('radio', { name: 'Success', exact: true }));
  await tabTo(page, deployment.post);
  await page.keyboard.press('Enter');
  await expect(deployment.statuses.first()).toContainText('Success');
  const stored = await api(`/repos/acme/shop/deployments/${id}/statuses`, SHOP_TOKEN);
  expect(stored.body[0].state).toBe('success');
  expect((await api(`/repos/acme/shop/deployments/${id}`, SHOP_TOKEN)).body.description).toBe('by keyboard');
});

test('History and Cleanup by keyboard: filter, open a deployment, then plan, untick, confirm and run a cleanup', async ({ page }) => {
  test.setTimeout(60_000);
  await seed(TIDY.seed);
  await connect(page, 'acme/tidy');
  await tabTo(page, nav(page, 'History'));
  await page.keyboard.press('Enter');
  const history = new HistoryPage(page);
  await history.expectAllLoaded(TIDY.deployments.length);
  await tabTo(page, history.environment);
  await page.keyboard.type('staging');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/environment=staging/);
  await expect(history.count).toHaveText(/^7 of 7 deployments shown\.$/);
  const first = history.rows.first().getByRole('link');
  await tabTo(page, first);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('state-spans')).toBeVisible();

  await tabTo(page, nav(page, 'Cleanup'));
  await page.keyboard.press('Enter');
  const cleanup = new CleanupPage(page);
  await cleanup.expectReady();
  // Widen the safe default by keyboard: every state, and what is live outside production.
  await tabTo(page, page.getByRole('checkbox', { name: 'Inactive', exact: true }), 200);
  await page.keyboard.press('Space');
  await tabTo(page, page.getByTestId('allow-live'), 200);
  await page.keyboard.press('Space');
  await expect(cleanup.count).toContainText('16 deployments will be deleted');
  const untick = cleanup.row(3016).getByRole('checkbox', { name: 'Delete deployment 3016' });
  await tabTo(page, untick, 200);
  await page.keyboard.press('Space');
  await expect(cleanup.row(3016).getByTestId('plan-reason')).toHaveText('Unticked by you');
  await tabTo(page, cleanup.review, 200);
  await page.keyboard.press('Enter');
  // The plan still deletes what review/pr-8 runs now: the repository's name is typed, by keyboard too.
  await expect(page.getByRole('heading', { name: 'Before anything is deleted' })).toBeFocused();
  await tabTo(page, page.getByTestId('confirm-repository'), 50);
  await page.keyboard.type('acme/tidy');
  await tabTo(page, cleanup.start, 200);
  await page.keyboard.press('Enter');
  await cleanup.expectFinished();
  const left = (await api('/repos/acme/tidy/deployments?per_page=100', SHOP_TOKEN)).body.map((d) => d.id).sort();
  expect(left).toEqual([3016, TIDY.liveProduction].sort());
  await tabTo(page, page.getByTestId('report-csv'), 200);
});
