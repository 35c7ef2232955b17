// Issue 8, item 5: axe-core on every screen, in the light and the dark colour scheme — zero serious or
// critical violations, no state told by colour alone — and the colour scheme and reduced-motion preferences
// respected.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { CreatePage, DeploymentPage } from '../pages/create-page.mjs';
import { HistoryPage } from '../pages/history-page.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { seed, calm, settings, SHOP_SEED, TIDY, SHOP_TOKEN } from '../support/fake.mjs';
import { FAKE } from '../playwright.config.mjs';

test.beforeEach(async () => {
  await calm();
});

/// Runs axe on the screen as it is, in both colour schemes; returns the violations, named by screen.
async function audit(page, screen) {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // Colours are read once the scheme's transitions have finished, as a user sees them.
    await page.waitForFunction(() => document.getAnimations().length === 0);
    for (const v of await seriousViolations(page)) found.push(`${screen} (${colorScheme}): ${v}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // State is never told by colour alone: every element coloured for a state or an ability has words too.
  const colourOnly = await page.evaluate(() =>
    [...document.querySelectorAll('[class*="state-"], .ability, .ok, .rate-gauge.low')]
      .filter((el) => !el.textContent.trim() && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML.slice(0, 100)));
  for (const el of colourOnly) found.push(`${screen}: state shown by colour alone: ${el}`);
  return found;
}

test('the connect screens, the overview, Create and a deployment’s page have no serious or critical axe violation', async ({ page }) => {
  test.setTimeout(60_000);
  await seed(SHOP_SEED);
  const found = [];
  const connect = new ConnectPage(page);
  await connect.open();
  found.push(...await audit(page, 'connect'));
  await connect.connect({ base: FAKE, token: 'not-a-real-token', repo: 'acme/shop' });
  await expect(connect.error).toBeVisible();
  found.push(...await audit(page, 'connect, token refused'));
  await connect.token.fill(SHOP_TOKEN);
  await connect.connectButton.click();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('recent-deployments')).toBeVisible();
  found.push(...await audit(page, 'overview'));

  const create = new CreatePage(page);
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Create' }).click();
  await expect(create.form).toBeVisible();
  found.push(...await audit(page, 'create'));
  await create.fill({ ref: 'bad..ref', environment: 'staging', payload: '{"open": ' });
  await create.create.click();
  await expect(create.ref).toHaveAttribute('aria-invalid', 'true');
  await create.form.getByText('Copy as curl / gh api').click();
  found.push(...await audit(page, 'create, fields refused'));
  await create.fill({ ref: 'conflicted', payload: '' });
  await create.create.click();
  await expect(create.result).toBeVisible();
  found.push(...await audit(page, 'create, merge conflict'));
  await create.fill({ ref: 'main' });
  await create.create.click();
  const deployment = new DeploymentPage(page);
  await expect(deployment.root).toBeVisible();
  await expect(deployment.form).toBeVisible();
  found.push(...await audit(page, 'deployment page'));

  await page.goto('/no/such/screen');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  found.push(...await audit(page, 'not found'));

  // A link to a host never connected to (a look-alike of github.com): the warning, the host's mark, the yes
  // it asks for and the problem said when it is missing.
  await page.goto('/g%D1%96thub.com/acme/shop/overview');
  await expect(page.getByTestId('unusual-host').first()).toBeVisible();
  found.push(...await audit(page, 'connect, a new host from a link'));
  await connect.token.fill(SHOP_TOKEN);
  await connect.connectButton.click();
  await expect(page.locator('#destination-error')).not.toBeEmpty();
  found.push(...await audit(page, 'connect, a new host without a yes'));
  expect(found).toEqual([]);
});

test('History, its timeline, Cleanup (plan, confirmation, run and report) and the demo have no serious or critical axe violation', async ({ page }) => {
  test.setTimeout(90_000);
  await seed(TIDY.seed);
  const found = [];
  const history = new HistoryPage(page);
  await history.open('acme/tidy', SHOP_TOKEN);
  await history.expectAllLoaded(TIDY.deployments.length);
  found.push(...await audit(page, 'history'));
  await history.rows.first().getByRole('link').click();
  await expect(page.getByTestId('state-spans')).toBeVisible();
  found.push(...await audit(page, 'deployment timeline'));

  const cleanup = new CleanupPage(page);
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Cleanup' }).click();
  await cleanup.expectReady();
  found.push(...await audit(page, 'cleanup plan'));
  await page.getByLabel('SHA', { exact: true }).fill('not-hex');
  await expect(page.locator('#cleanup-sha-error')).toContainText('hexadecimal');
  found.push(...await audit(page, 'cleanup, selection refused'));
  await page.getByLabel('SHA', { exact: true }).fill('');
  await cleanup.expectReady();
  cleanup.repo = 'acme/tidy';
  await cleanup.selectAll();
  await page.getByTestId('allow-live').uncheck();
  await expect(page.getByTestId('guard-kept')).toBeVisible();
  found.push(...await audit(page, 'cleanup, guard rails'));
  await page.getByTestId('allow-live').check();
  await cleanup.review.click();
  await expect(cleanup.start).toBeVisible();
  await expect(page.getByTestId('confirm-repository')).toBeVisible();
  found.push(...await audit(page, 'cleanup confirmation'));
  await cleanup.confirmLive();
  await cleanup.start.click();
  await expect(page.getByTestId('cleanup-run')).toBeVisible();
  found.push(...await audit(page, 'cleanup run'));
  await cleanup.expectFinished();
  found.push(...await audit(page, 'cleanup report'));

  await page.goto('/');
  await new ConnectPage(page).tryDemo.click();
  await expect(page.getByTestId('overview')).toBeVisible();
  found.push(...await audit(page, 'demo'));
  expect(found).toEqual([]);
});

test('the colour scheme follows the system: dark backgrounds and light text when it is dark', async ({ page }) => {
  const colours = async () =>
    page.evaluate(() => {
      const body = getComputedStyle(document.body);
      return { bg: body.backgroundColor, fg: body.color };
    });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByTestId('connect-form')).toBeVisible();
  expect(await colours()).toEqual({ bg: 'rgb(255, 255, 255)', fg: 'rgb(31, 35, 40)' });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await colours()).toEqual({ bg: 'rgb(13, 17, 23)', fg: 'rgb(230, 237, 243)' });
  await page.screenshot({ path: 'tests/e2e/artifacts/connect-dark.png', fullPage: true });
});

test('with reduced motion asked for, nothing on the page moves: no transition or animation runs', async ({ page }) => {
  await seed(TIDY.seed);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  const moving = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('*')]
        .filter((el) => {
          const s = getComputedStyle(el);
          const long = (v) => v.split(',').some((d) => parseFloat(d) > 0);
          return long(s.transitionDuration) || (s.animationName !== 'none' && long(s.animationDuration));
        })
        .map((el) => el.outerHTML.slice(0, 80)));
  expect(await moving()).toEqual([]);
  await cleanup.run();
  expect(await moving()).toEqual([]);
  await cleanup.expectFinished();
  // And the same page does move when motion is welcome (the check above can see a transition).
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect((await moving()).length).toBeGreaterThan(0);
});

test('without GraphQL, the header\'s notice that states come through REST has no serious or critical axe violation', async ({ page }) => {
  await seed(TIDY.seed);
  await settings({ graphql: 'off' });
  const history = new HistoryPage(page);
  await history.open('acme/tidy', SHOP_TOKEN);
  await expect(page.getByTestId('header-notice')).toContainText('through the REST API instead');
  expect(await audit(page, 'History with the REST notice')).toEqual([]);
  await calm();
});
