// Cleanup over large repositories: the plan shown a hundred rows at a time (ticks kept across pages), a
// plan through GraphQL that would spend much of either quota asked for after one page, then listed and read
// together; and a list GitHub names the rest of at another address (a server reached through an alias),
// which is said, never silently cut short.
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { HistoryPage } from '../pages/history-page.mjs';
import { seed, requests, clearRequests, calm, settings, historySeed, SHOP_TOKEN } from '../support/fake.mjs';

test.beforeEach(async () => {
  await calm();
});

test.afterEach(async () => {
  await calm();
});

// The plan's list pages (100 each; the overview's own short reads may still be answering when it opens).
const listPages = (log) => log.filter((r) => r.method === 'GET' && /^\/repos\/acme\/\w+\/deployments$/.test(r.path) && /(^|&)per_page=100(&|$)/.test(r.query));
const graphql = (log) => log.filter((r) => r.path === '/graphql' && r.method === 'POST');

test('a plan of 250 deployments shows a hundred rows at a time; a row unticked on one page stays unticked', async ({ page }) => {
  await seed(historySeed(250));
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/hist', SHOP_TOKEN);
  await cleanup.selectAll();
  const planned = Number((await cleanup.count.textContent()).match(/^([\d,]+)/)[1].replaceAll(',', ''));
  expect(planned).toBeGreaterThan(200);
  const pager = page.getByTestId('plan-page');
  await expect(cleanup.rows).toHaveCount(100);
  await expect(pager).toHaveText(`Rows 1–100 of ${planned}`);
  await expect(page.getByTestId('plan-previous')).toBeDisabled();
  const first = await cleanup.ids();
  await page.getByTestId('plan-next').click();
  await expect(pager).toHaveText(`Rows 101–200 of ${planned}`);
  const second = await cleanup.ids();
  expect(second).toHaveLength(100);
  expect(Math.max(...second), 'newest first, page after page').toBeLessThan(Math.min(...first));
  const unticked = second[10];
  await cleanup.row(unticked).getByRole('checkbox').uncheck();
  await expect(cleanup.count).toHaveText(new RegExp(`^${(planned - 1).toLocaleString('en-US')} deployments will be deleted`));
  await page.getByTestId('plan-previous').click();
  await expect(pager).toHaveText(`Rows 1–100 of ${planned}`);
  await page.getByTestId('plan-next').click();
  await expect(cleanup.row(unticked).getByRole('checkbox')).not.toBeChecked();
  await expect(cleanup.row(unticked).getByTestId('plan-reason')).toHaveText('Unticked by you');
  await page.getByTestId('plan-next').click();
  await expect(pager).toHaveText(`Rows 201–${planned} of ${planned}`);
  await expect(page.getByTestId('plan-next')).toBeDisabled();
  // Another view of the plan starts at its first page.
  await cleanup.show.selectOption('all');
  await expect(pager).toHaveText('Rows 1–100 of 250');
  await expect(cleanup.rows).toHaveCount(100);
});

test('more than 10,000 deployments through GraphQL: asked first, after one page, in both quotas; then listed and read together', async ({ page }) => {
  test.setTimeout(120_000);
  const big = historySeed(10_050);
  big.repositories[0].name = 'big';
  await seed(big);
  const cleanup = new CleanupPage(page);
  await cleanup.visit('acme/big', SHOP_TOKEN, clearRequests);
  const question = page.getByTestId('cost-question');
  await expect(question).toContainText('This lists about 10,100 deployments and reads each one\'s latest state: 101 REST requests, about 3% of this token\'s 5,000 an hour');
  await expect(question).toContainText('and 101 points of GraphQL\'s own quota');
  let log = await requests();
  expect(listPages(log).length, 'one page read before asking').toBe(1);
  expect(graphql(log), 'no state read before asking').toHaveLength(0);
  await page.getByTestId('cost-question-accept').click();
  await expect(cleanup.count).toHaveText(/will be deleted/, { timeout: 90_000 });
  log = await requests();
  // Every page once (the first asked again, conditionally), a GraphQL read per page, no REST state read.
  expect(listPages(log).length).toBe(1 + 101);
  expect(graphql(log)).toHaveLength(101);
  expect(log.filter((r) => r.path.endsWith('/statuses'))).toHaveLength(0);
  await expect(page.getByTestId('plan-page')).toHaveText(/^Rows 1–100 of [\d,]+$/);
});

const ALIAS = 'https://ghe-alias.invalid';

/// acme/hist with 130 deployments on a server that names its next page at ALIAS; returns what the page sends
/// there (it must stay empty).
async function behindAnAlias(page) {
  await seed(historySeed(130));
  await settings({ link_base: ALIAS });
  const elsewhere = [];
  page.on('request', (r) => { if (r.url().startsWith(ALIAS)) elsewhere.push(r.url()); });
  return elsewhere;
}

// Under the token-capture fixture in every storage mode (issue 17): the token goes nowhere but the address
// connected to, however it is kept.
for (const keep of ['tab', 'device', 'memory']) {
  test.describe(`with the token kept: ${keep}`, () => {
    test.use({ tokenOnDevice: keep === 'device' });

    test(`a server that names its next page at another address: History says the list is cut short and why; the token never goes there (${keep})`, async ({ page }) => {
      const elsewhere = await behindAnAlias(page);
      const history = new HistoryPage(page);
      await history.open('acme/hist', SHOP_TOKEN, async () => {}, keep);
      await expect(history.count).toHaveText(/^100 of 100 deployments shown\. GitHub has more, which could not be read: see below\./);
      const panel = page.getByTestId('list-cut-short');
      await expect(panel).toContainText('Only some of the deployments could be listed');
      await expect(panel).toContainText(`names its next page at ${ALIAS}/repos/acme/hist/deployments?per_page=100&page=2, not on the address you connected to`);
      await expect(panel).toContainText(`Connect through the address the server names (${ALIAS})`);
      expect(elsewhere, 'nothing is sent to the other address').toEqual([]);
    });
  });
}

test('Cleanup over a list cut short: it says so, and plans over what was listed only when asked to', async ({ page }) => {
  const elsewhere = await behindAnAlias(page);
  const cleanup = new CleanupPage(page);
  await cleanup.visit('acme/hist', SHOP_TOKEN);
  await expect(page.getByTestId('plan-cut-short')).toContainText('A plan over these 100 deployments alone would not see the others');
  await expect(cleanup.rows, 'no plan before the choice').toHaveCount(0);
  await expect(cleanup.count).toHaveText('');
  await page.getByTestId('plan-partial').click();
  await cleanup.expectReady();
  await cleanup.show.selectOption('all');
  await expect(cleanup.rows, 'the plan covers the 100 listed').toHaveCount(100);
  await expect(page.getByTestId('plan-pager')).toHaveCount(0);
  expect(elsewhere, 'nothing is sent to the other address').toEqual([]);
});
