// Issue 19: the fleet — pinned repositories' environments on one screen: what is live, what failed, what waits.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { seed, calm, settings, api } from '../support/fake.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { FAKE } from '../playwright.config.mjs';

const TOKEN = 't-shop';
const SHA = '2222222222222222222222222222222222222222';
const hoursAgo = (h) => new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
const STORE_KEY = `deploydeck.fleet:${FAKE}`;
const fleetPath = (repos) => `/custom/_fleet${repos ? `?repos=${repos}&` : '?'}api=${encodeURIComponent(FAKE)}`;

function deployment(id, environment, states, hours, extra = {}) {
  return {
    id, ref: 'main', sha: SHA, environment, creator: 'mona', created_at: hoursAgo(hours),
    statuses: states.map((state, i) => ({ state, created_at: hoursAgo(hours - (i + 1) * 0.01) })), ...extra,
  };
}

function fleetSeed() {
  return {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }, { login: 'bob' }],
    tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [
      {
        owner: 'acme', name: 'web', collaborators: { mona: 'write', bob: 'write' },
        branches: [{ name: 'main', sha: SHA }],
        environments: [{ name: 'production' }, { name: 'staging', reviewers: ['mona'] }],
        deployments: [
          deployment(501, 'production', ['success', 'inactive'], 30),
          deployment(502, 'production', ['success'], 20),
          deployment(503, 'production', ['failure'], 2),
        ],
        runs: [{ id: 7001, workflow: 'Deploy', title: 'Ship it', ref: 'main', actor: 'bob', created_at: hoursAgo(0.1), waits_on: ['staging'] }],
      },
      {
        owner: 'acme', name: 'api', collaborators: { mona: 'write' },
        branches: [{ name: 'main', sha: SHA }],
        environments: [{ name: 'production' }, { name: 'qa' }],
        deployments: [
          deployment(601, 'production', ['success'], 5),
          deployment(602, 'qa', ['in_progress'], 3),
          deployment(603, 'pr-3', ['success'], 1, { transient_environment: true }),
        ],
      },
      { owner: 'acme', name: 'locked', private: true, collaborators: {} },
    ],
  };
}

test.beforeEach(async () => {
  await calm();
  await seed(fleetSeed());
});

async function connect(page, repo = 'acme/web') {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: TOKEN, repo });
  await expect(page.getByTestId('overview')).toBeVisible();
}

const row = (page, repo) => page.locator(`[data-testid="fleet-row"][data-repo="${repo}"]`);
const cell = (page, repo, environment) => row(page, repo).locator(`[data-testid="cell"][data-environment="${environment}"]`);
const pinInput = (page) => page.getByRole('textbox', { name: /Pin repositories/ });
const stored = (page) => page.evaluate((key) => (localStorage.getItem(key) ?? '').split('\n').filter(Boolean), STORE_KEY);

async function pinBoth(page) {
  await connect(page);
  const toggle = page.getByTestId('pin-toggle');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('fleet-link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
  await pinInput(page).fill('acme/api');
  await page.getByTestId('pin').click();
  await expect(row(page, 'acme/api')).toBeVisible();
}

test('pin from a repository and by name: each environment shows its latest, what is live when that failed, and what waits', async ({ page }) => {
  await pinBoth(page);
  expect(await stored(page)).toEqual(['acme/web', 'acme/api']);
  expect(page.url()).toContain('/custom/_fleet?repos=acme/web,acme/api');
  // Production-like columns first.
  await expect(page.getByTestId('fleet-matrix').locator('thead th')).toHaveText(['Repository', 'production', 'qa', 'staging', 'Previews', 'Unpin']);
  const production = cell(page, 'acme/web', 'production');
  await expect(production).toHaveAttribute('data-mark', 'Failed');
  await expect(production.getByTestId('cell-link')).toHaveText('Failed main 2222222');
  await expect(production).toContainText('by mona');
  await expect(production.getByTestId('live')).toHaveText('main 2222222');
  await expect(production.getByTestId('live')).toHaveAttribute('href', /\/custom\/acme\/web\/deployments\/502\?api=/);
  await expect(cell(page, 'acme/web', 'staging')).toHaveAttribute('data-mark', 'Waiting for review');
  await expect(cell(page, 'acme/api', 'production')).toHaveAttribute('data-mark', 'Live');
  await expect(cell(page, 'acme/api', 'qa')).toHaveAttribute('data-mark', 'Stuck');
  await expect(row(page, 'acme/api').getByTestId('previews')).toHaveText('1');
  await expect(row(page, 'acme/web').locator('td').nth(1)).toHaveText('—');
  // The cell leads to the deployment; the waiting one to its review; the repository to its overview.
  await cell(page, 'acme/web', 'staging').getByTestId('cell-review').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  await page.goBack();
  await row(page, 'acme/api').getByTestId('fleet-repo').click();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('pin-toggle')).toHaveAttribute('aria-pressed', 'true');
});

test('the recent list pins and unpins too', async ({ page }) => {
  await connect(page);
  await page.goto('/');
  const pin = page.getByTestId('recent').getByRole('button', { name: 'Pin acme/web to the fleet' });
  await expect(pin).toHaveAttribute('aria-pressed', 'false');
  await pin.click();
  const pinned = page.getByTestId('recent').getByRole('button', { name: 'Pinned acme/web to the fleet' });
  await expect(pinned).toHaveAttribute('aria-pressed', 'true');
  expect(await stored(page)).toEqual(['acme/web']);
  await pinned.click();
  expect(await stored(page)).toEqual([]);
});

test('one GraphQL request reads every pinned repository; a repository without access says why in its own row', async ({ page }) => {
  await pinBoth(page);
  const documents = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql')) documents.push(JSON.parse(r.postData()));
  });
  await pinInput(page).fill('acme/locked nonsense');
  await page.getByTestId('pin').click();
  // A bad entry: said, and nothing typed is lost.
  await expect(page.getByTestId('pin-problems')).toContainText('“nonsense”');
  await expect(pinInput(page)).toHaveValue('acme/locked nonsense');
  await pinInput(page).fill('acme/locked');
  await page.getByTestId('pin').click();
  await expect(row(page, 'acme/locked').getByTestId('row-error')).toContainText('acme/locked was not found, or this token cannot see it');
  await expect(cell(page, 'acme/api', 'production')).toHaveAttribute('data-mark', 'Live');
  // One document reads the three; a second asks only for environments whose latest is not live with nothing
  // live among the newest (staging waits, qa is stuck).
  const firsts = documents.filter((d) => d.query.startsWith('query Fleet('));
  expect(firsts.length, 'one document for the three').toBe(1);
  expect(firsts[0].variables).toEqual({ o0: 'acme', n0: 'web', o1: 'acme', n1: 'api', o2: 'acme', n2: 'locked' });
  expect(documents.filter((d) => d.query.startsWith('query FleetOlder(')).map((d) => d.variables))
    .toEqual([{ o0: 'acme', n0: 'web', e0: 'staging', o1: 'acme', n1: 'api', e1: 'qa' }]);
  await row(page, 'acme/locked').getByRole('button', { name: 'Unpin acme/locked' }).click();
  await expect(row(page, 'acme/locked')).toHaveCount(0);
  expect(await stored(page)).toEqual(['acme/web', 'acme/api']);
  expect(page.url()).toContain('repos=acme/web,acme/api');
});

test('a shared address opens in place with the kept token; its list replaces the kept one only when asked', async ({ page }) => {
  await connect(page);
  await page.getByTestId('pin-toggle').click();
  await page.goto(fleetPath('acme/api'));
  await expect(page.getByTestId('carried')).toBeVisible();
  await expect(row(page, 'acme/api')).toBeVisible();
  await expect(row(page, 'acme/web')).toHaveCount(0);
  expect(await stored(page)).toEqual(['acme/web']);
  await page.getByTestId('keep-list').click();
  expect(await stored(page)).toEqual(['acme/api']);
  // Without a token (another tab): the connect form, in place, for that host and the list's first repository.
  const other = await page.context().newPage();
  await other.goto(fleetPath('acme/api,acme/web'));
  await expect(other.getByRole('heading', { level: 1, name: 'Connect to open this fleet' })).toBeVisible();
  await expect(other.getByLabel('Repository')).toHaveValue('acme/api');
  await other.close();
});

test('a deployment waiting for review is approved from the matrix; the fleet says so and reads again', async ({ page }) => {
  await pinBoth(page);
  const staging = cell(page, 'acme/web', 'staging');
  await staging.getByTestId('cell-review-open').click();
  await expect(staging).toContainText('Ship it #1');
  await staging.getByTestId('cell-approve').click();
  await expect(page.getByTestId('fleet-result')).toContainText('Approved staging for “Ship it”');
  // The job goes on (the fake plays it as a success at once): the cell is live.
  await expect(cell(page, 'acme/web', 'staging')).toHaveAttribute('data-mark', 'Live');
  const approvals = await api('/repos/acme/web/actions/runs/7001/approvals', TOKEN);
  expect(approvals.body.map((a) => [a.state, a.user.login])).toEqual([['approved', 'mona']]);
});

test('with GraphQL off the fleet reads through REST and shows the same', async ({ page }) => {
  await pinBoth(page);
  const marks = async () => page.getByTestId('cell').evaluateAll((cells) => cells.map((c) => `${c.dataset.environment}:${c.dataset.mark}`));
  const withGraphql = await marks();
  await settings({ graphql: 'off' });
  await page.reload();
  await expect(row(page, 'acme/web')).toBeVisible();
  await expect(cell(page, 'acme/web', 'production')).toBeVisible();
  // REST says `queued` for a job waiting on a review (the fake's default reading): the only difference.
  expect((await marks()).map((m) => m.replace('staging:Deploying', 'staging:Waiting for review'))).toEqual(withGraphql);
  await expect(cell(page, 'acme/web', 'production').getByTestId('live')).toHaveText('main 2222222');
});

test('keyboard only, axe-clean in both schemes, and one card per repository on a phone', async ({ page }) => {
  await pinBoth(page);
  await page.getByTestId('fleet-refresh').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('fleet-status')).toContainText('Read at');
  const unpin = row(page, 'acme/api').getByRole('button', { name: 'Unpin acme/api' });
  await unpin.focus();
  await page.keyboard.press('Enter');
  await expect(row(page, 'acme/api')).toHaveCount(0);
  await pinInput(page).focus();
  await page.keyboard.type('acme/api');
  await page.keyboard.press('Enter');
  await expect(row(page, 'acme/api')).toBeVisible();
  await expect(page.getByTestId('fleet-status')).toContainText('Read at');
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // (A scheme's change animates the buttons' colours: checked once they are still.)
    await page.waitForFunction(() => document.getAnimations().length === 0);
    expect(await seriousViolations(page), colorScheme).toEqual([]);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('fleet-matrix').locator('thead')).not.toBeInViewport();
  await page.screenshot({ path: 'tests/e2e/artifacts/fleet-mobile.png', fullPage: true });
  const box = await row(page, 'acme/web').boundingBox();
  expect(box.width).toBeLessThanOrEqual(390);
});
