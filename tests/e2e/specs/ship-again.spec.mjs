// Issue 31: what will ship (compared with what the environment runs) and doing a deployment again — a new
// deployment of its commit (typed name for production, failed checks explained and skipped on request), or a
// re-run of the GitHub Actions run that made it (refused in words when over 30 days old).
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { seed, api, requests, clearRequests, SHOP_TOKEN } from '../support/fake.mjs';
import { seriousViolations } from '../support/axe.mjs';

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const LINE = Array.from({ length: 6 }, (_, i) => String(i + 1).repeat(40));
const GONE = 'f'.repeat(40);
const LONG = Array.from({ length: 150 }, (_, i) => `ab${String(i).padStart(38, '0')}`);

function shipSeed() {
  const now = Date.now();
  const history = LINE.map((sha, i) => ({
    sha, parent: i ? LINE[i - 1] : null, author: i % 2 ? 'mona' : 'Dana <script>alert(1)</script>',
    message: i === 2 ? 'Fix <img src=x onerror=alert(1)> rendering\n\nbody' : `Change ${i + 1}`,
    date: iso(now - (20 - i) * DAY), files: [`src/f${i}.rs`],
  }));
  const ok = (at) => [{ state: 'success', created_at: iso(at + 60_000) }];
  return {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
    tokens: [{ token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{
      owner: 'acme', name: 'ship', collaborators: { mona: 'write' },
      branches: [{ name: 'main', sha: LINE[5] }],
      history,
      commits: [GONE],
      contexts: { [LINE[1]]: [{ context: 'ci/test', state: 'failure' }] },
      environments: [{ name: 'production' }, { name: 'staging' }],
      deployments: [
        { id: 201, ref: 'main', sha: LINE[1], environment: 'production', creator: 'mona', created_at: iso(now - 9 * DAY), statuses: ok(now - 9 * DAY) },
        { id: 202, ref: 'main', sha: LINE[4], environment: 'production', creator: 'mona', created_at: iso(now - 5 * DAY), statuses: ok(now - 5 * DAY) },
        { id: 203, ref: 'main', sha: LINE[5], environment: 'staging', creator: 'mona', created_at: iso(now - 4 * DAY), statuses: ok(now - 4 * DAY) },
        { id: 200, ref: 'main', sha: GONE, environment: 'staging', creator: 'mona', created_at: iso(now - 10 * DAY), statuses: ok(now - 10 * DAY) },
      ],
      runs: [
        { id: 7001, workflow: 'Deploy', ref: 'main', sha: LINE[3], actor: 'mona', created_at: iso(now - 2 * DAY), waits_on: ['qa'], conclusion: 'success' },
        { id: 7002, workflow: 'Deploy', ref: 'main', sha: LINE[2], actor: 'mona', created_at: iso(now - 40 * DAY), waits_on: ['preview'], conclusion: 'success' },
      ],
    }, {
      // A long range: 150 commits between what production runs and the newest deployment.
      owner: 'acme', name: 'long', collaborators: { mona: 'write' },
      branches: [{ name: 'main', sha: LONG[149] }],
      history: LONG.map((sha, i) => ({ sha, parent: i ? LONG[i - 1] : null, message: `Step ${i}`, author: 'mona', date: iso(now - (200 - i) * 3_600_000) })),
      deployments: [
        { id: 301, ref: 'main', sha: LONG[0], environment: 'production', creator: 'mona', created_at: iso(now - 3 * DAY), statuses: ok(now - 3 * DAY) },
        { id: 302, ref: 'main', sha: LONG[149], environment: 'production', creator: 'mona', created_at: iso(now - DAY) },
      ],
    }],
  };
}

test.beforeEach(async () => {
  await seed(shipSeed());
});

/// Connects to acme/ship and opens deployment `id`'s page (a deep link in the same tab).
async function openDeployment(page, id, repo = 'acme/ship') {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: SHOP_TOKEN, repo });
  await expect(page.getByTestId('overview')).toBeVisible();
  const url = new URL(page.url());
  url.pathname = url.pathname.replace(/\/overview$/, `/deployments/${id}`);
  await page.goto(url.toString());
  await expect(page.getByTestId('deployment-page')).toBeVisible();
}

async function deploymentsOf(environment) {
  return (await api(`/repos/acme/ship/deployments?environment=${environment}&per_page=100`, SHOP_TOKEN)).body;
}

test('an older deployment says it is a rollback, lists what leaves, and is made again from its SHA after the typed name', async ({ page }) => {
  await openDeployment(page, 201);
  const ship = page.getByTestId('what-will-ship');
  await expect(ship.getByTestId('ship-sentence')).toContainText('This is 3 commits older than what runs in production: a rollback — those 3 commits leave.');
  await expect(ship.getByRole('link', { name: 'What runs there now: deployment 202.' })).toBeVisible();
  const commits = ship.getByTestId('ship-commits').getByRole('listitem');
  await expect(commits).toHaveCount(3);
  await expect(commits.nth(0)).toContainText('333333');
  await expect(commits.nth(0)).toContainText('Fix <img src=x onerror=alert(1)> rendering');
  await expect(commits.nth(0)).toContainText('Dana <script>alert(1)</script>');
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  const again = page.getByTestId('again');
  await expect(again.getByRole('heading', { name: 'Roll back to this' })).toBeVisible();
  await expect(again.getByTestId('again-how')).toContainText('Deploydeck creates a new deployment of commit 2222222 to production');
  await expect(again).toContainText('This is a rollback: the commits listed above leave production.');
  const confirm = again.getByTestId('again-confirm');
  await expect(confirm).toBeDisabled();
  await again.getByLabel('Type production to confirm').fill('Production');
  await expect(confirm).toBeDisabled();
  await again.getByLabel('Type production to confirm').fill('production');
  await clearRequests();
  await confirm.click();
  // GitHub's 409 for the commit's failed check, explained, and the way past it.
  const failed = again.getByTestId('again-failed-checks');
  await expect(failed).toContainText('ci/test — failure');
  await failed.getByRole('button', { name: 'Deploy anyway, skipping checks' }).click();
  // The page moves from 201 to the deployment made (201's own address matched a bare /deployments/N, so that
  // wait ended at once and the address was read before the move: a race, seen once in a clean-clone run).
  await expect(page).not.toHaveURL(/\/deployments\/201\?/);
  await expect(page).toHaveURL(/\/deployments\/\d+\?/);
  const made = (await deploymentsOf('production'))[0];
  expect(made.sha).toBe(LINE[1]);
  expect(page.url()).toContain(`/deployments/${made.id}`);
  // Two sends: refused for the check, then made with checks skipped; made from the SHA, not the branch.
  const posts = (await requests()).filter((r) => r.method === 'POST' && r.path === '/repos/acme/ship/deployments');
  expect(posts.map((r) => r.status)).toEqual([409, 201]);
  expect([made.ref, made.task, made.production_environment]).toEqual([LINE[1], 'deploy', true]);
  await page.screenshot({ path: 'tests/e2e/artifacts/ship-rollback.png', fullPage: true });
});

test('a newer commit lists what arrives, 100 at a time; what runs and a commit GitHub no longer has are said in words', async ({ page }) => {
  await openDeployment(page, 203, 'acme/ship');
  await expect(page.getByTestId('ship-sentence')).toHaveText('This is what runs in staging now.');
  await expect(page.getByTestId('again').getByRole('heading', { name: 'Deploy this again' })).toBeVisible();
  // What staging runs becomes a commit the repository no longer has (a force-push removed it).
  await api('/repos/acme/ship/deployments/203/statuses', SHOP_TOKEN, { method: 'POST', body: JSON.stringify({ state: 'inactive' }) });
  await api('/repos/acme/ship/deployments/200/statuses', SHOP_TOKEN, { method: 'POST', body: JSON.stringify({ state: 'success' }) });
  await page.reload();
  await expect(page.getByTestId('ship-sentence')).toContainText('GitHub cannot compare these commits: one of them no longer exists');
  await expect(page.getByTestId('status')).toHaveCount(2, { timeout: 10_000 });

  await openDeployment(page, 302, 'acme/long');
  const ship = page.getByTestId('what-will-ship');
  await expect(ship.getByTestId('ship-sentence')).toContainText('149 commits newer than what runs in production: they arrive.');
  const commits = ship.getByTestId('ship-commits').getByRole('listitem');
  await expect(commits).toHaveCount(100);
  await expect(commits.first()).toContainText('Step 1');
  await clearRequests();
  await ship.getByTestId('ship-more').click();
  await expect(commits).toHaveCount(149);
  await expect(commits.last()).toContainText('Step 149');
  await expect(ship.getByTestId('ship-more')).toHaveCount(0);
  const reads = (await requests()).filter((r) => r.method === 'GET' && r.path.includes('/compare/'));
  expect(reads.map((r) => r.query)).toEqual(['per_page=100&page=2']);
  await expect(page.getByTestId('again').getByRole('heading', { name: 'Deploy this again' })).toBeVisible();
});

test('a deployment GitHub Actions made is re-run through its run; a run over 30 days old is refused in words first', async ({ page }) => {
  const [qa] = await deploymentsOf('qa');
  await openDeployment(page, qa.id);
  const again = page.getByTestId('again');
  await expect(again.getByTestId('again-how')).toContainText('GitHub Actions made this deployment, in run 7001. Doing it again re-runs that run');
  await expect(again.getByLabel(/Type .* to confirm/)).toHaveCount(0);
  await clearRequests();
  await again.getByTestId('again-confirm').click();
  await expect(again.getByTestId('again-result')).toContainText('GitHub is re-running run 7001.');
  const writes = (await requests()).filter((r) => r.method === 'POST');
  expect(writes.map((r) => r.path)).toEqual(['/repos/acme/ship/actions/runs/7001/rerun']);
  const [made] = await deploymentsOf('qa');
  expect(made.id).toBeGreaterThan(qa.id);
  // The page finds the deployment the run's job made and links to it.
  await expect(again.getByTestId('again-made')).toHaveText(`The re-run made deployment ${made.id}: its page follows it.`, { timeout: 15_000 });

  const [preview] = await deploymentsOf('preview');
  await openDeployment(page, preview.id);
  await expect(again.getByTestId('again-refused')).toContainText('Its run started 40 days ago, and GitHub re-runs a workflow run only within 30 days');
  await expect(again.getByTestId('again-confirm')).toBeDisabled();
  await again.getByTestId('again-instead').click();
  await expect(again.getByTestId('again-how')).toContainText('Deploydeck creates a new deployment of commit 3333333 to preview');
  await again.getByTestId('again-confirm').click();
  await expect(page).not.toHaveURL(new RegExp(`/deployments/${preview.id}\\?`));
  await expect(page).toHaveURL(/\/deployments\/\d+\?/);
  expect((await deploymentsOf('preview'))[0].sha).toBe(LINE[2]);
});

test('Create says what a ref would change once it and the environment are chosen, read once per choice', async ({ page }) => {
  await openDeployment(page, 202);
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Create' }).click();
  const preview = page.getByTestId('create-ship');
  await expect(page.getByTestId('deployment-form')).toBeVisible();
  await expect(preview, 'nothing is read (nor its code fetched) before a ref is chosen').toHaveCount(0);
  await clearRequests();
  await page.getByLabel('Ref', { exact: true }).fill('main');
  await page.getByLabel('Environment', { exact: true }).first().fill('production');
  await page.getByLabel('Environment', { exact: true }).first().press('Tab');
  await expect(preview.getByTestId('ship-sentence')).toContainText('1 commit newer than what runs in production: they arrive.');
  await expect(preview.getByTestId('ship-commits').getByRole('listitem')).toHaveText([/666666\d* Change 6/]);
  const reads = (await requests()).filter((r) => r.method === 'GET' && /\/(commits|compare)\//.test(r.path));
  expect(reads.map((r) => r.path.split('/')[4])).toEqual(['commits', 'compare'], 'one commit read and one compare for the choice, none per key');
  await page.getByLabel('Ref', { exact: true }).fill(LINE[1]);
  await page.getByLabel('Ref', { exact: true }).press('Tab');
  await expect(preview.getByTestId('ship-sentence')).toContainText('This is 3 commits older than what runs in production: a rollback');
  await page.getByLabel('Ref', { exact: true }).fill('no-such-branch');
  await page.getByLabel('Ref', { exact: true }).press('Tab');
  await expect(preview.getByTestId('ship-sentence')).toHaveText('GitHub knows no branch, tag or commit named “no-such-branch” in this repository: check the ref.');
  // Emptied, the preview goes (and nothing breaks: the fixture fails the test on any page error).
  await page.getByLabel('Ref', { exact: true }).fill('');
  await page.getByLabel('Ref', { exact: true }).press('Tab');
  await expect(preview).toHaveCount(0);
  await page.getByLabel('Ref', { exact: true }).fill('main');
  await page.getByLabel('Ref', { exact: true }).press('Tab');
  await expect(preview.getByTestId('ship-sentence')).toContainText('1 commit newer than what runs in production');
});

test('History names what a rollback goes back to, and its link leads to the rollback', async ({ page }) => {
  await openDeployment(page, 202);
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'History' }).click();
  const production = page.getByTestId('environment-row').filter({ hasText: 'production' });
  await production.getByRole('link', { name: 'Roll back production to deployment 201' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deployment 201 to production' })).toBeVisible();
  await expect(page.getByTestId('again').getByRole('heading', { name: 'Roll back to this' })).toBeVisible();
  await expect(page.getByTestId('again-confirm')).toHaveText('Roll back to this');
});

test('a fleet cell whose latest failed offers to roll back to what runs', async ({ page }) => {
  const made = (await api('/repos/acme/ship/deployments', SHOP_TOKEN, { method: 'POST', body: JSON.stringify({ ref: 'main', environment: 'production', required_contexts: [] }) })).body;
  await api(`/repos/acme/ship/deployments/${made.id}/statuses`, SHOP_TOKEN, { method: 'POST', body: JSON.stringify({ state: 'failure' }) });
  await openDeployment(page, 202);
  await page.goto(`/custom/_fleet?repos=acme/ship&api=${encodeURIComponent(FAKE)}`);
  const cell = page.locator('[data-testid="fleet-row"][data-repo="acme/ship"] [data-testid="cell"][data-environment="production"]');
  await expect(cell).toHaveAttribute('data-mark', 'Failed');
  await cell.getByRole('link', { name: /^Roll back production of acme\/ship to main 555555/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deployment 202 to production' })).toBeVisible();
  await expect(page.getByTestId('ship-sentence')).toHaveText('This is what runs in production now.');
  await expect(page.getByTestId('again-confirm')).toHaveText('Deploy this again');
});

test('what will ship and the rollback: no serious axe violation at 1280 and 390 px, light and dark; done from the keyboard', async ({ page }) => {
  await openDeployment(page, 201);
  await expect(page.getByTestId('ship-commits').getByRole('listitem')).toHaveCount(3);
  const found = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      for (const v of await seriousViolations(page)) found.push(`${width} ${colorScheme}: ${v}`);
      if (width === 390) await page.screenshot({ path: `tests/e2e/artifacts/ship-again-390-${colorScheme}.png`, fullPage: true });
    }
  }
  expect(found).toEqual([]);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, 'nothing wider than a phone at 390 px').toBeLessThanOrEqual(390);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  // Keyboard only: the typed name, then the button, without the mouse.
  await page.getByLabel('Type production to confirm').focus();
  await page.keyboard.type('production');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('again-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('again-failed-checks')).toBeVisible();
  await page.getByRole('button', { name: 'Deploy anyway, skipping checks' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).not.toHaveURL(/\/deployments\/201\?/);
  await expect(page).toHaveURL(/\/deployments\/\d+\?/);
});
