// Issue 36: what a broken or hostile API host can still do. fake-github plays such a host (its `self_link`,
// `endless_link`, `secondary` and `quota` faults, and a seed with dot and formula environment names): the app
// must send nothing to a collapsed URL, never loop (requests counted over a window), throw no page error (the
// fixture), hand over no CSV cell a `;`-locale spreadsheet reads as a formula, and name a look-alike host for
// what it is.
import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { HistoryPage } from '../pages/history-page.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seedEachTest, faults, requests, clearRequests, api } from '../support/fake.mjs';
import { csvRows } from '../support/csv.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { FAKE } from '../playwright.config.mjs';

const TOKEN = 't-odd';
const SHA = 'abababababababababababababababababababab';
const FORMULA_ENV = 'pr-1;=HYPERLINK("https://evil.example","x")';
const at = (day) => `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`;

const SEED = {
  users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
  tokens: [{ token: TOKEN, user: 'mona', scopes: ['repo'] }],
  repositories: [{
    owner: 'acme', name: 'odd', collaborators: { mona: 'admin' },
    branches: [{ name: 'main', sha: SHA }],
    environments: [{ name: '..' }, { name: '.' }, { name: 'preview/pr-1' }, { name: 'staging' }, { name: FORMULA_ENV }],
    deployments: [
      { id: 5001, ref: 'main', sha: SHA, environment: 'staging', creator: 'mona', created_at: at(1),
        statuses: [{ state: 'success', created_at: at(1) }] },
      { id: 5002, ref: 'main', sha: SHA, environment: FORMULA_ENV, creator: 'mona', created_at: at(2),
        description: '=HYPERLINK("https://evil.example")', statuses: [{ state: 'failure', created_at: at(2) }] },
      { id: 5003, ref: 'main', sha: SHA, environment: 'staging', creator: 'mona', created_at: at(3),
        statuses: [{ state: 'inactive', created_at: at(3) }] },
    ],
  }],
};

seedEachTest(test, SEED);

const here = (view = '') => `/custom/acme/odd${view}?api=${encodeURIComponent(FAKE)}`;

async function connect(page) {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: TOKEN, repo: 'acme/odd' });
  await expect(page.getByTestId('overview')).toBeVisible();
}

/// The requests the fake saw from now for `ms`, whose path and query contain `part`.
async function countedOver(ms, part) {
  await clearRequests();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await requests()).filter((r) => `${r.path}?${r.query}`.includes(part) && r.method !== 'OPTIONS');
}

test('a Link naming its own page as the next: the statuses are read a few times, not thousands, and the page says so', async ({ page }) => {
  await connect(page);
  await faults({ rate: 1, kinds: ['self_link'], path_contains: '/deployments/5001/statuses' });
  await page.goto(here('/deployments/5001'));
  await expect(page.getByTestId('deployment-page')).toContainText("The server's paging is broken: page 1 names page 1 as the next one");
  // Main before: 6,798 reads in 20 s. Now each look (at once, then every 5 s) reads one page and stops.
  const seen = await countedOver(6_000, '/deployments/5001/statuses');
  expect(seen.length).toBeLessThanOrEqual(4);
});

test('History over a Link to itself or an endless chain: the list keeps what was read and says the paging broke', async ({ page }) => {
  await connect(page);
  const history = new HistoryPage(page);
  for (const kind of ['self_link', 'endless_link']) {
    await faults({ rate: 1, kinds: [kind], path_contains: '/repos/acme/odd/deployments?' });
    await page.goto(here('/history'));
    await expect(history.count).toContainText("The server's paging broke off, so the list stops here", { timeout: 10_000 });
    await expect(page.getByTestId('list-cut-short')).toContainText("The server's paging is broken");
    const seen = await countedOver(3_000, '/repos/acme/odd/deployments?');
    expect(seen.length, kind).toBeLessThanOrEqual(2);
  }
});

test('absurd waits: a Retry-After near 2^64 and resets in 1970 or two minutes ago hold the list, said in words, and nothing is sent again at once', async ({ page }) => {
  test.setTimeout(60_000);
  await connect(page);
  const history = new HistoryPage(page);
  const twoMinutesAgo = String(Math.floor(Date.now() / 1000) - 120);
  for (const [fault, said] of [
    [{ kinds: ['secondary'], retry_after: '18446744073709551615' }, 'The server asked to wait more than a year, longer than any GitHub limit lasts'],
    [{ kinds: ['quota'], reset: '0' }, "has already passed by this computer's clock"],
    [{ kinds: ['quota'], reset: twoMinutesAgo }, "has already passed by this computer's clock"],
    [{ kinds: ['secondary'], retry_after: '0' }, 'without saying how long to wait'],
  ]) {
    // Main before: 5,055 list requests in 15 s for the first, 4,847 and 2,809 for the resets.
    await faults({ rate: 1, path_contains: '/repos/acme/odd/deployments?per_page=100', ...fault });
    await page.goto(here('/history'));
    await expect(page.getByTestId('error-panel')).toContainText(said, { timeout: 10_000 });
    await expect(page.getByTestId('list-waits')).toBeVisible();
    const seen = await countedOver(5_000, '/repos/acme/odd/deployments?per_page=100');
    expect(seen.length, JSON.stringify(fault)).toBe(0);
    await faults({ rate: 0 });
  }
  await expect(history.view).toBeVisible();
});

test('an environment named “..”: Create refuses it on its field and sends nothing; Cleanup lists “..” and “.” with why and never sends them', async ({ page }) => {
  await connect(page);
  await page.goto(here('/create'));
  const form = page.getByTestId('deployment-form');
  await expect(form).toBeVisible();
  await clearRequests();
  await form.getByLabel('Environment', { exact: true }).fill('..');
  await form.getByRole('button', { name: 'Create deployment' }).click();
  await expect(form).toContainText('An environment cannot be named “..”');
  expect((await requests()).filter((r) => r.method === 'POST')).toEqual([]);

  const cleanup = new CleanupPage(page);
  cleanup.repo = 'acme/odd';
  await page.goto(here('/cleanup'));
  await cleanup.expectReady();
  await page.getByTestId('find-empty-environments').click();
  const rows = page.getByTestId('environment-row');
  await expect(rows.filter({ hasText: 'preview/pr-1' })).toBeVisible();
  for (const name of ['..', '.']) {
    const row = page.locator(`[data-testid=environment-row][data-name="${name}"]`);
    await expect(row.getByTestId('environment-unreachable')).toContainText('Cannot be deleted from here');
    await expect(row.getByRole('checkbox')).toBeDisabled();
  }
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('environments-tick-all').click();
  await page.getByTestId('environments-review').click();
  await expect(page.getByTestId('environments-confirmation')).not.toContainText('..');
  await clearRequests();
  await page.getByTestId('environments-delete').click();
  await expect(page.getByTestId('environments-summary')).toContainText('deleted');
  const deletes = (await requests()).filter((r) => r.method === 'DELETE');
  // Only the empty one with an ordinary name (the formula-named one still has a deployment).
  expect(deletes.map((r) => r.path)).toEqual(['/repos/acme/odd/environments/preview%2Fpr-1']);
  await expect(page.locator('[data-testid=environment-row][data-name=".."]').getByTestId('environment-outcome')).toHaveCount(0);
  // The repository itself, which a collapsed `…/environments/..` would have reached, is still there.
  expect((await api('/repos/acme/odd', TOKEN)).status).toBe(200);
});

test('History’s CSV, read as a spreadsheet in a “;” locale would read it, holds no formula cell', async ({ page }) => {
  await connect(page);
  await page.goto(here('/history'));
  const history = new HistoryPage(page);
  await history.expectAllLoaded(3);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const text = readFileSync(await csv.path(), 'utf8');
  for (const separator of [';', ',', '\t', '|']) {
    const cells = csvRows(text, separator).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c)), `split on ${JSON.stringify(separator)}`).toEqual([]);
  }
  // Read with commas, as written: the environment's name is there, its formula defused.
  const rows = csvRows(text, ',');
  expect(rows[0].slice(0, 3)).toEqual(['id', 'environment', 'ref']);
  expect(rows.find((r) => r[0] === '5002')[1]).toBe(`pr-1;'=HYPERLINK("https://evil.example","x")`);
});

test('a link to a look-alike host: the warning emphasises the domain the token would go to and says it only looks like GitHub', async ({ page }) => {
  for (const [path, registrable, said] of [
    [`/custom/acme/web?api=${encodeURIComponent('https://api.github.com.evil.example')}`, 'evil.example', 'It looks like GitHub, but is evil.example'],
    ['/xn--gthub-n2e.com/acme/web', 'xn--gthub-n2e.com', 'It looks like github.com, but is xn--gthub-n2e.com'],
    ['/githib.com/acme/web', 'githib.com', 'It looks like github.com, but is githib.com, one character away'],
  ]) {
    await page.goto(path);
    await expect(page.getByTestId('registrable')).toHaveText(registrable);
    await expect(page.getByTestId('lookalike')).toHaveText(new RegExp(`^${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expect(page.getByTestId('arrival')).toContainText('It is not github.com');
  }
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousViolations(page), `${width} ${scheme}`).toEqual([]);
    }
  }
  await page.screenshot({ path: 'tests/e2e/artifacts/lookalike-host.png', fullPage: true });
});
