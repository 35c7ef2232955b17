import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures.mjs';
import { HistoryPage } from '../pages/history-page.mjs';
import { csvRows } from '../support/csv.mjs';
import { DeploymentPage } from '../pages/create-page.mjs';
import { seed, api, requests, clearRequests, historySeed, latency, settings, faults, calm, SHOP_TOKEN } from '../support/fake.mjs';


const COUNT = 150;

test.beforeEach(async () => {
  await calm();
  await seed(historySeed(COUNT));
});

// The list's own pages (100 each; the connect probe's one-item read is not one of them).
const listReads = async () => (await requests()).filter((r) => r.method === 'GET' && r.path === '/repos/acme/hist/deployments' && !/(^|&)per_page=1(&|$)/.test(r.query));
const graphqlReads = async () => (await requests()).filter((r) => r.method === 'POST' && r.path === '/graphql');
const stateReads = async () => (await requests()).filter((r) => r.method === 'GET' && /\/repos\/acme\/hist\/deployments\/\d+\/statuses$/.test(r.path));

for (const mode of ['off', 'no_cors']) {
  test(`GraphQL ${mode === 'off' ? 'absent (404)' : 'without CORS headers'}: REST as before — every page listed newest first, only the rows on screen in the page, only their states asked for, and a quiet note`, async ({ page }) => {
    await settings({ graphql: mode });
    await body(page);
    await expect(page.getByTestId('header-notice')).toContainText("This server's GraphQL API could not be used");
    await expect(page.getByTestId('header-notice')).toContainText('reads each deployment\'s state through the REST API instead');
    expect((await requests()).filter((r) => r.path === '/graphql').length, 'GraphQL tried once, then left for the session').toBeLessThanOrEqual(1);
    await page.getByTestId('header-notice').getByRole('button', { name: 'Dismiss this notice' }).click();
    await expect(page.getByTestId('header-notice')).toHaveCount(0);
  });
}

async function body(page) {

  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN, clearRequests);
  await history.expectAllLoaded(COUNT);
  expect((await listReads()).map((r) => r.query)).toEqual(['per_page=100&page=1', 'per_page=100&page=2']);
  const rendered = await history.rows.count();
  expect(rendered).toBeLessThan(40);
  expect((await history.ids())[0]).toBe(1000 + COUNT);
  // The newest (number 150) failed: every fifth does in this seed.
  await expect(history.rows.first().locator('.badge')).toHaveText('Failed');
  await expect.poll(async () => (await stateReads()).length).toBeGreaterThanOrEqual(rendered);
  const asked = new Set((await stateReads()).map((r) => r.path));
  expect(asked.size, 'states only for the rows in the page').toBeLessThanOrEqual(rendered);
  expect((await stateReads()).length, 'each asked for once').toBe(asked.size);
  await history.scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(history.rows.last().locator('td').first()).toHaveText('1001');
  await expect(history.rows.last().locator('.badge')).toHaveText(/Inactive|Success|Failed/);
  expect(await history.rows.count()).toBeLessThan(40);
  await page.screenshot({ path: 'tests/e2e/artifacts/history.png', fullPage: true });
}

test('with GraphQL: every listed deployment has its state from one request per page, far below the screen too; the state filter and the export need no more reads', async ({ page }) => {
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN, clearRequests);
  await history.expectAllLoaded(COUNT);
  // One GraphQL read per list page (100 and 50 deployments), no REST state read at all.
  await expect.poll(async () => (await graphqlReads()).length).toBe(2);
  expect((await listReads()).map((r) => r.query)).toEqual(['per_page=100&page=1', 'per_page=100&page=2']);
  expect(await stateReads(), 'no state read one by one').toEqual([]);
  for (const read of await graphqlReads()) expect(read.status).toBe(200);
  // The last row, never scrolled to, already has its state.
  await history.scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(history.rows.last().locator('td').first()).toHaveText('1001');
  await expect(history.rows.last().locator('.badge')).toHaveText(/Inactive|Success|Failed/);
  // The state filter decides every row at once: no cost question, no read.
  await history.state.selectOption('failure');
  await history.apply.click();
  const failures = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 5 === 4).length;
  await expect(history.count).toHaveText(`${failures} of ${COUNT} deployments shown.`);
  await expect(page.getByTestId('history-cost')).toHaveCount(0);
  // The export: every row with its state, at once.
  await page.getByRole('button', { name: 'Clear' }).click();
  await history.expectAllLoaded(COUNT);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const rows = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(rows).toHaveLength(COUNT);
  expect(rows.every((r) => r.latest_status && r.latest_status.state)).toBe(true);
  expect(rows.find((r) => r.deployment.id === 1005).latest_status.state).toBe('failure');
  expect(await stateReads(), 'still no state read one by one').toEqual([]);
  await expect(page.getByTestId('header-notice')).toHaveCount(0);
});

test('GraphQL answers RATE_LIMITED (an HTTP 200): the states wait for its reset, then arrive; REST goes on meanwhile', async ({ page }) => {
  test.setTimeout(60_000);
  // One page, so one GraphQL read: refused, then asked again once GraphQL's points are back.
  await seed(historySeed(80));
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN, async () => {
    await clearRequests();
    await faults({ rate: 1, kinds: ['rate_limit'], path_contains: '/graphql', limit: 1, reset_s: 3 });
  });
  await history.expectAllLoaded(80);
  await expect.poll(async () => (await graphqlReads()).length, { timeout: 20_000 }).toBe(2);
  const [refused, again] = await graphqlReads();
  expect(refused.fault).toBe('rate_limit');
  expect(refused.status, 'GraphQL says RATE_LIMITED with a 200').toBe(200);
  // Not asked again before the reset (3 s, in whole seconds).
  expect(again.started_ms - refused.ended_ms).toBeGreaterThanOrEqual(2_000);
  await history.scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(history.rows.last().locator('.badge')).toHaveText(/Inactive|Success|Failed/);
  expect(await stateReads(), 'the states waited for GraphQL rather than going one by one').toEqual([]);
  // REST was not held: the list was read before GraphQL's reset.
  for (const read of await listReads()) expect(read.ended_ms).toBeLessThan(refused.ended_ms + 2_000);
});

test('a GraphQL answer with errors beside its data: what was found is used, only what was not is asked through REST', async ({ page }) => {
  const history = new HistoryPage(page);
  // The states' reads are held at the server while a listed deployment is deleted: its node comes back null,
  // with a NOT_FOUND error beside the others' data.
  await history.open('acme/hist', SHOP_TOKEN, async () => {
    await clearRequests();
    await faults({ rate: 1, kinds: ['stall'], stall_ms: 2_000, path_contains: '/graphql', limit: 2 });
  });
  await history.expectAllLoaded(COUNT);
  const gone = 1148;
  expect((await api(`/repos/acme/hist/deployments/${gone}/statuses`, SHOP_TOKEN, { method: 'POST', body: JSON.stringify({ state: 'inactive' }) })).status).toBe(201);
  expect((await api(`/repos/acme/hist/deployments/${gone}`, SHOP_TOKEN, { method: 'DELETE' })).status).toBe(204);
  await expect.poll(async () => (await graphqlReads()).filter((r) => r.status === 200).length, { timeout: 10_000 }).toBe(2);
  // Every other row has its state from GraphQL; the missing one alone is asked through REST (and is gone).
  await expect.poll(async () => [...new Set((await stateReads()).map((r) => r.path))], { timeout: 10_000 }).toEqual([`/repos/acme/hist/deployments/${gone}/statuses`]);
  await expect(history.rows.first().locator('.badge')).toHaveText('Failed');
  await history.scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(history.rows.last().locator('.badge')).toHaveText(/Inactive|Success|Failed/);
  await calm();
});

test('once the first page names the last one, the other pages are asked for together, each once, and the list grows from the top', async ({ page }) => {
  test.setTimeout(60_000);
  await seed(historySeed(650));
  const history = new HistoryPage(page);
  await latency(150);
  try {
    await history.open('acme/hist', SHOP_TOKEN, clearRequests);
    await history.expectAllLoaded(650);
  } finally {
    await latency(0);
  }
  const reads = await listReads();
  expect(reads.map((r) => r.query).sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `per_page=100&page=${n}`).sort());
  // Pages 2 to 7 overlap in time (one at a time, each would start after the previous ended).
  const later = reads.filter((r) => r.query !== 'per_page=100&page=1');
  const overlapping = later.filter((a) => later.some((b) => a !== b && a.started_ms < b.ended_ms && b.started_ms < a.ended_ms));
  expect(overlapping.length, 'pages in flight together').toBeGreaterThan(1);
  expect((await history.ids())[0]).toBe(1650);
  await history.scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(history.rows.last().locator('td').first()).toHaveText('1001');
});

test("filters: GitHub's go with the request, the page's apply on the page, and both travel in the address", async ({ page }) => {
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  await history.expectAllLoaded(COUNT);
  await clearRequests();
  await history.environment.fill('staging');
  await history.creator.fill('HUBOT');
  await history.apply.click();
  await expect(page).toHaveURL(/\/history\?api=[^&]+&environment=staging&creator=HUBOT$/);
  const staging = COUNT / 2;
  const byHubot = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 === 0).length;
  await expect(history.count).toHaveText(`${byHubot} of ${staging} deployments shown.`);
  expect((await listReads())[0].query).toContain('environment=staging');
  for (const text of await history.rows.locator('td:nth-child(3)').allTextContents()) expect(text).toBe('staging');
  for (const text of await history.rows.locator('td.creator').allTextContents()) expect(text.trim()).toBe('hubot');
});

test('a deep link with filters opens filtered, with the filters filled in', async ({ page }) => {
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  const url = new URL(page.url());
  await page.goto(`${url.pathname}${url.search}&environment=production&state=failure`);
  await expect(history.view).toBeVisible();
  await expect(history.environment).toHaveValue('production');
  await expect(history.state).toHaveValue('failure');
  const failures = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 2 === 0 && i % 5 === 4).length;
  await expect(history.count).toHaveText(`${failures} of ${COUNT / 2} deployments shown.`);
  for (const text of await history.rows.locator('.badge').allTextContents()) expect(text).toBe('Failed');
});

test('the timeline of one deployment: every status in order and the time spent in each state', async ({ page }) => {
  const history = new HistoryPage(page);
  const deployment = new DeploymentPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  await history.rows.first().getByRole('link').click();
  await deployment.expectOpen(1000 + COUNT, 'staging');
  await expect(page.getByTestId('state-spans')).toHaveText('Time in each state: Queued 1 min 0 s → In progress 2 min 0 s → Failed');
  await expect(deployment.statuses).toHaveCount(3);
  await expect(deployment.statuses.first()).toContainText('Failed');
  await page.screenshot({ path: 'tests/e2e/artifacts/timeline.png', fullPage: true });
});

test('live: a status and a deployment made behind the page’s back appear on the next refresh; unchanged answers are 304s', async ({ page }) => {
  await page.clock.install();
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  await history.expectAllLoaded(COUNT);
  const newest = 1000 + COUNT;
  await expect(history.rows.first().locator('.badge')).toHaveText('Failed');
  expect((await api(`/repos/acme/hist/deployments/${newest}/statuses`, SHOP_TOKEN, {
    method: 'POST', body: JSON.stringify({ state: 'error', description: 'rolled back', auto_inactive: false }),
  })).status).toBe(201);
  const created = await api('/repos/acme/hist/deployments', SHOP_TOKEN, {
    method: 'POST', body: JSON.stringify({ ref: 'main', environment: 'qa', required_contexts: [] }),
  });
  expect(created.status).toBe(201);
  await clearRequests();
  await page.clock.fastForward('00:31');
  await expect(history.rows.first().locator('td').first()).toHaveText(String(created.body.id));
  await expect(history.rows.nth(1).locator('.badge')).toHaveText('Error');
  await expect(history.count).toHaveText(`${COUNT + 1} of ${COUNT + 1} deployments shown.`);
  // Nothing changed since: the next refresh is answered 304 throughout.
  await clearRequests();
  await page.clock.fastForward('00:31');
  await expect.poll(async () => (await stateReads()).length).toBeGreaterThan(5);
  const statuses = [...(await listReads()), ...(await stateReads())].map((r) => r.status);
  expect(new Set(statuses)).toEqual(new Set([304]));
});

test('export: the filtered list with each latest status, as JSON and as CSV', async ({ page }) => {
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  await history.environment.fill('production');
  await history.apply.click();
  await expect(history.count).toHaveText(`${COUNT / 2} of ${COUNT / 2} deployments shown.`);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(json.suggestedFilename()).toBe('deployments.json');
  const rows = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(rows).toHaveLength(COUNT / 2);
  expect(rows.every((r) => r.deployment.environment === 'production' && r.latest_status)).toBe(true);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const lines = csvRows(readFileSync(await csv.path(), 'utf8'));
  expect(lines[0].join(',')).toBe('id,environment,ref,sha,task,creator,created_at,latest_state,latest_state_at,description,transient,production');
  expect(lines).toHaveLength(COUNT / 2 + 1);
  expect(lines[1].slice(0, 6).join(',')).toMatch(/^\d+,production,main,1{40},deploy,(mona|hubot)$/);
  expect(await page.evaluate(() => document.cookie)).toBe('');
});

test('live refresh pauses while the tab is hidden, and waits longer when GitHub sends X-Poll-Interval', async ({ page }) => {
  await page.clock.install();
  // GitHub may ask clients to poll less often: the first page of the list says 120 s here.
  await page.route(/\/repos\/acme\/hist\/deployments\?per_page=100&page=1$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'x-poll-interval': '120' } });
  });
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  await history.expectAllLoaded(COUNT);
  const firstPageReads = async () => (await listReads()).filter((r) => r.query === 'per_page=100&page=1').length;
  await clearRequests();
  await page.clock.fastForward('00:31');
  await page.waitForTimeout(300);
  expect(await firstPageReads(), 'not after 30 s: GitHub asked for 120').toBe(0);
  await page.clock.fastForward('01:30');
  await expect.poll(firstPageReads).toBe(1);
  // Hidden: nothing, however long.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await clearRequests();
  await page.clock.fastForward('05:00');
  await page.waitForTimeout(300);
  expect(await requests(), 'a hidden tab asks for nothing').toEqual([]);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.clock.fastForward('00:02');
  await expect.poll(firstPageReads).toBe(1);
});

test('without GraphQL, reading every state costs quota: over more than 100 deployments, the state filter and an export say what it costs and ask first', async ({ page }) => {
  await settings({ graphql: 'off' });
  const history = new HistoryPage(page);
  await history.open('acme/hist', SHOP_TOKEN);
  await history.expectAllLoaded(COUNT);
  // The states of the rows on screen are read first; once that settles, nothing more is read without a yes.
  let onScreen = -1;
  for (let now = (await stateReads()).length; now !== onScreen; now = (await stateReads()).length) {
    onScreen = now;
    await page.waitForTimeout(500);
  }
  // An export would read 150 states: asked first, nothing read until then.
  await page.getByTestId('export-json').click();
  await expect(page.getByTestId('export-cost')).toContainText(/The export needs the state of every listed deployment\. This reads the latest state of the 1\d\d deployments not read yet: 1\d\d requests, about \d+% of this token's 5,000 an hour/);
  await page.waitForTimeout(500);
  expect((await stateReads()).length, 'nothing read before the yes').toBe(onScreen);
  // The state filter too.
  await history.state.selectOption('failure');
  await history.apply.click();
  await expect(page.getByTestId('history-cost')).toContainText('Filtering by latest state needs the state of every listed deployment.');
  await expect(history.count).toContainText('wait for their state: see below.');
  await page.getByTestId('history-cost-accept').click();
  const failures = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 5 === 4).length;
  await expect(history.count).toHaveText(`${failures} of ${COUNT} deployments shown.`, { timeout: 15_000 });
  await expect(page.getByTestId('history-cost')).toHaveCount(0);
  // The yes holds for the view: the export now goes at once, every row with its state.
  await page.getByRole('button', { name: 'Clear' }).click();
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const rows = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(rows).toHaveLength(COUNT);
  expect(rows.every((r) => r.latest_status)).toBe(true);
});

test.afterEach(async () => {
  await calm();
});
