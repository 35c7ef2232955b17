import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { csvRows } from '../support/csv.mjs';
import { api, requests, clearRequests, faults, latency, calm, settings, TIDY, SHOP_TOKEN, writes, idOf, seedEachTest } from '../support/fake.mjs';

seedEachTest(test, TIDY.seed);

const ALL = TIDY.deployments.map((d) => d.id);
const remaining = async () => (await api('/repos/acme/tidy/deployments?per_page=100', SHOP_TOKEN)).body.map((d) => d.id).sort();
const alone = (id) => {
  const environment = TIDY.deployments.find((d) => d.id === id).environment;
  return TIDY.deployments.filter((d) => d.environment === environment).length === 1;
};
const deletesOf = (log, id) => log.filter((r) => r.method === 'DELETE' && idOf(r.path) === id);

test('safe by default: only inactive deployments are selected; nothing live or running goes without an explicit choice', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await clearRequests();
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  // Clicking through without reading: the inactive ones only, none needing a status first.
  const inactive = ALL.filter((id) => TIDY.latest[id] === 'inactive');
  await expect(cleanup.count).toHaveText(`${inactive.length} deployments will be deleted (0 marked inactive first), ${ALL.length - inactive.length} kept; ${inactive.length} requests to GitHub.`);
  expect(await cleanup.ids()).toEqual([...inactive].reverse());
  await cleanup.show.selectOption('kept');
  await expect(cleanup.row(3016).getByTestId('plan-reason')).toHaveText('State not selected');
  await cleanup.show.selectOption('deleted');
  await cleanup.review.click();
  await expect(page.getByTestId('confirm-summary')).toContainText(`Deploydeck will delete ${inactive.length} deployments from acme/tidy on `);
  await expect(page.getByTestId('confirm-summary')).toContainText(`: ${inactive.length} inactive. None is active, so none gets an “inactive” status first; should GitHub refuse another as active, it gets the status then and is deleted again. Deleted deployments cannot be restored; environments are not touched.`);
  await expect(page.getByTestId('confirm-repository'), 'nothing live: no name to type').toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Before anything is deleted' }), 'the confirmation opens in view, focused').toBeFocused();
  await expect(page.getByRole('heading', { name: 'Before anything is deleted' })).toBeInViewport();
  // A pause that cannot be used is said on its field, and the last good one stays.
  const pause = page.getByLabel('Pause between changes (ms, 0 for none)');
  await pause.fill('fast');
  await expect(pause).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#cleanup-spacing-error')).toHaveText('“fast” is not a pause Deploydeck can use: type whole milliseconds from 0 to 60000 (0 for none).');
  await pause.fill('0');
  await expect(pause).toHaveAttribute('aria-invalid', 'false');
  await expect(page.locator('#cleanup-spacing-error')).toHaveText('');
  expect(writes(await requests()), 'a preview sends nothing').toEqual([]);

  // Every state: what runs now in each environment is still kept, each for its reason.
  await page.getByText('Back to the plan').click();
  await page.getByRole('checkbox', { name: 'Inactive', exact: true }).uncheck();
  await expect(cleanup.count).toHaveText('14 deployments will be deleted (0 marked inactive first), 3 kept; 14 requests to GitHub.');
  await expect(page.getByTestId('guard-kept')).toHaveText('Kept by the guard rails although the rules select them: 1 live in a production environment, 2 live in another environment. Tick a row in the plan to include it, or use the switches above for everything live.');
  await cleanup.show.selectOption('guarded');
  expect(await cleanup.ids()).toEqual([3016, 3015, 3011]);
  await expect(cleanup.row(3016).getByTestId('plan-reason')).toHaveText('Live in its environment now: kept unless you include it');
  await expect(cleanup.row(TIDY.liveProduction).getByTestId('plan-reason')).toHaveText('Live in a production environment: kept unless you allow it');
  // One by one: ticking a guarded row includes it, and the confirmation then wants the name typed.
  await cleanup.row(3011).getByRole('checkbox', { name: 'Delete deployment 3011' }).check();
  // 3011 is the only deployment of review/pr-8: GitHub deletes it without a status first.
  await expect(cleanup.count).toHaveText('15 deployments will be deleted (0 marked inactive first), 2 kept; 15 requests to GitHub.');
  await expect(cleanup.row(3011).getByTestId('plan-reason')).toHaveText('Ticked by you (was: Live in its environment now: kept unless you include it)');
  await cleanup.review.click();
  await expect(page.getByTestId('confirm-summary')).toContainText('1 live now (review/pr-8)');
  await expect(cleanup.start).toBeDisabled();
  await page.getByTestId('confirm-repository').fill('acme/tid');
  await expect(cleanup.start).toBeDisabled();
  await page.getByTestId('confirm-repository').fill('acme/tidy');
  await expect(cleanup.start).toBeEnabled();
  await page.getByText('Back to the plan').click();
  await cleanup.row(3011).getByRole('checkbox', { name: 'Delete deployment 3011' }).uncheck();
  await cleanup.show.selectOption('deleted');

  // The switch for everything live outside production: the plan of the earlier behaviour, production kept.
  await page.getByTestId('allow-live').check();
  await expect(cleanup.count).toHaveText('16 deployments will be deleted (1 marked inactive first), 1 kept; 17 requests to GitHub.');
  await expect(page.getByTestId('guard-kept')).toContainText('1 live in a production environment');
  expect(await cleanup.ids()).toEqual(ALL.filter((id) => id !== TIDY.liveProduction).reverse());
  await expect(cleanup.row(3016).getByTestId('plan-action')).toHaveText('Deactivate, then delete');
  await expect(cleanup.row(3016).getByTestId('plan-reason')).toContainText('GitHub refuses to delete an active deployment that shares its environment');
  await expect(cleanup.row(3012).getByTestId('plan-action')).toHaveText('Delete');
  await expect(cleanup.row(3013).getByTestId('plan-action')).toHaveText('Delete');
  await expect(cleanup.row(3013).getByTestId('plan-reason')).toHaveText('No status: not active, so GitHub deletes it without an inactive status first');
  await expect(cleanup.row(3011).getByTestId('plan-reason')).toHaveText('The only deployment of its environment: GitHub deletes it without an inactive status first');

  await cleanup.show.selectOption('kept');
  await expect(cleanup.rows).toHaveCount(1);
  await expect(cleanup.row(TIDY.liveProduction).getByTestId('plan-reason')).toHaveText('Live in a production environment: kept unless you allow it');

  // Unticking a row keeps it; the count follows.
  await cleanup.show.selectOption('deleted');
  await cleanup.row(3016).getByRole('checkbox', { name: 'Delete deployment 3016' }).uncheck();
  await expect(cleanup.count).toHaveText('15 deployments will be deleted (0 marked inactive first), 2 kept; 15 requests to GitHub.');
  await expect(cleanup.row(3016).getByTestId('plan-reason')).toHaveText('Unticked by you');

  // The rules: staging only (by name), keep the newest two there.
  await page.getByTestId('cleanup-environments').fill('staging');
  await expect(page.getByTestId('environments-matched')).toHaveText('Matches 1 of 5 environments (7 deployments).');
  await page.getByLabel('Keep the newest per environment').fill('2');
  await expect(cleanup.count).toHaveText('5 deployments will be deleted (0 marked inactive first), 12 kept; 5 requests to GitHub.');
  // A pattern: every review environment.
  await page.getByTestId('cleanup-environments').fill('review/*, prevew/*');
  await expect(page.getByTestId('environments-matched')).toHaveText('Matches 3 of 5 environments (4 deployments). “prevew/*” matches no environment.');
  await page.getByTestId('cleanup-environments').fill('staging');
  // A wrong field says so on the field, and the plan waits for it.
  await page.getByLabel('SHA', { exact: true }).fill('not-hex');
  await expect(page.locator('#cleanup-sha-error')).toContainText('hexadecimal');
  await expect(cleanup.count).toHaveText('Correct the selection to see the plan.');
  await page.getByLabel('SHA', { exact: true }).fill('');
  // The selection is kept for the tab: a reload keeps it.
  await page.reload();
  await cleanup.expectReady();
  await expect(page.getByLabel('Keep the newest per environment')).toHaveValue('2');
  await expect(page.getByTestId('cleanup-environments')).toHaveValue('staging');
  await page.getByTestId('cleanup-environments').fill('');
  await page.getByLabel('Keep the newest per environment').fill('');

  // Allowing live production is explicit, and then the name must be typed.
  await page.getByTestId('allow-live-production').check();
  await expect(cleanup.count).toContainText('17 deployments will be deleted');
  await cleanup.show.selectOption('all');
  await expect(cleanup.row(TIDY.liveProduction).getByTestId('plan-action')).toHaveText('Deactivate, then delete');
  await page.getByTestId('allow-live-production').uncheck();
  await cleanup.review.click();
  await expect(page.getByTestId('confirm-summary')).toContainText('Deploydeck will delete 16 deployments from acme/tidy on');
  await expect(page.getByTestId('confirm-summary')).toContainText('2 live now (staging, review/pr-8)');
  await expect(page.getByTestId('confirm-summary')).toContainText('1 gets an “inactive” status first, as GitHub refuses to delete an active deployment (the newest success of an environment that has others)');
  await page.screenshot({ path: 'tests/e2e/artifacts/cleanup-plan.png', fullPage: true });
  expect(writes(await requests()), 'a preview sends nothing').toEqual([]);
  expect(await remaining()).toEqual(ALL);
});

test('a run to completion: inactive statuses only where needed, every planned delete once, kept deployments untouched; backup and report', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  const unticked = 3010;
  await cleanup.row(unticked).getByRole('checkbox').uncheck();
  await cleanup.review.click();
  await cleanup.confirmLive();
  const backupFile = page.waitForEvent('download');
  await cleanup.backup.click();
  const backup = JSON.parse(readFileSync(await (await backupFile).path(), 'utf8'));
  await expect(page.getByTestId('backup-status')).toHaveText('Backup downloaded: 15 deployments with their statuses.');
  expect(backup.deployments.map((e) => e.deployment.id)).toEqual(ALL.filter((id) => id !== unticked && id !== TIDY.liveProduction).reverse());
  const d3001 = backup.deployments.find((e) => e.deployment.id === 3001);
  expect(d3001.statuses.map((s) => s.state)).toEqual(['inactive', 'success']);

  await clearRequests();
  await cleanup.start.click();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('15 of 15 done, 0 failed, 0 remaining');
  const log = await requests();
  const kept = [unticked, TIDY.liveProduction];
  const planned = ALL.filter((id) => !kept.includes(id));
  expect(log.filter((r) => kept.includes(idOf(r.path))), 'no request touches a kept deployment').toEqual([]);
  const posts = writes(log).filter((r) => r.method === 'POST');
  // Only 3016 is active (the newest success of staging, which has others); 3011 is alone in review/pr-8, and
  // failed, errored or status-less deployments are not active: GitHub deletes those as they are.
  expect(posts.map((r) => idOf(r.path)), 'an inactive status only on the active deployment').toEqual([3016]);
  for (const post of posts) expect(post.status).toBe(201);
  for (const id of planned) {
    const deletes = deletesOf(log, id);
    expect(deletes.map((r) => r.status), `deployment ${id} deleted once`).toEqual([204]);
    // Its inactive status (when it needed one) came before its delete.
    const post = posts.find((r) => idOf(r.path) === id);
    if (post) expect(log.indexOf(post)).toBeLessThan(log.indexOf(deletes[0]));
  }
  expect(writes(log).length, 'the minimum the plan needs').toBe(planned.length + posts.length);
  await expect(page.getByTestId('run-requests')).toHaveText(`Requests sent: ${writes(log).length} (the plan needed ${writes(log).length}).`);
  expect(await remaining()).toEqual(kept.sort());

  // The report on screen: what happened to each deployment.
  await page.getByTestId('run-report-list').locator('summary').click();
  await expect(page.getByTestId('run-report-list').locator('summary')).toHaveText('What happened to each of the 15 deployments');
  await expect(page.getByTestId('report-row')).toHaveCount(15);
  await expect(page.getByTestId('report-row').first()).toContainText('deleted');
  const jsonFile = page.waitForEvent('download');
  await page.getByTestId('report-json').click();
  const report = JSON.parse(readFileSync(await (await jsonFile).path(), 'utf8'));
  expect(report.progress.done).toBe(15);
  expect(report.items.every((i) => i.outcome === 'deleted')).toBe(true);
  const csvFile = page.waitForEvent('download');
  await page.getByTestId('report-csv').click();
  const csv = csvRows(readFileSync(await (await csvFile).path(), 'utf8'));
  expect(csv[0]).toEqual(['id', 'environment', 'ref', 'sha', 'action', 'outcome', 'inactive_first', 'failed_step', 'error']);
  expect(csv.find((row) => row[0] === '3016')[6]).toBe('active: the newest success of its environment');
  expect(report.items.find((i) => i.id === 3016).inactive_first).toBe('active: the newest success of its environment');
  expect(report.items.find((i) => i.id === 3013).inactive_first).toBeUndefined();
  expect(csv).toHaveLength(16);
  await page.screenshot({ path: 'tests/e2e/artifacts/cleanup-done.png', fullPage: true });

  await page.getByTestId('run-start-over').click();
  await cleanup.expectReady();
  await expect(cleanup.count).toHaveText('1 deployment will be deleted (0 marked inactive first), 1 kept; 1 request to GitHub.');
});

test('pause stops sending after the request in flight; resume continues without repeating anything', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.startSlowRun('acme/tidy', SHOP_TOKEN);
  await cleanup.pauseMidway();
  const paused = writes(await requests()).length;
  await page.waitForTimeout(1_000);
  expect(writes(await requests()).length, 'nothing sent while paused').toBe(paused);
  await page.getByTestId('run-resume').click();
  await cleanup.expectFinished();
  const log = await requests();
  for (const id of ALL.filter((id) => id !== TIDY.liveProduction)) {
    expect(deletesOf(log, id).map((r) => r.status), `deployment ${id}`).toEqual([204]);
  }
  expect(writes(log).length, 'every delete and one inactive status, for 3016').toBe(17);
});

test("GitHub's stricter reading (only inactive deployments may go): each refused DELETE gets its inactive status and goes again, once", async ({ page }) => {
  await settings({ delete_rule: 'not_inactive' });
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  await clearRequests();
  await cleanup.run();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  const log = writes(await requests());
  const planned = ALL.filter((id) => id !== TIDY.liveProduction);
  for (const id of planned) {
    const mine = log.filter((r) => idOf(r.path) === id).map((r) => [r.method, r.status]);
    if (TIDY.latest[id] === 'inactive') expect(mine, `${id}: inactive, deleted as it is`).toEqual([['DELETE', 204]]);
    else if (id === 3016) expect(mine, '3016: active, its status first').toEqual([['POST', 201], ['DELETE', 204]]);
    else if (alone(id)) expect(mine, `${id}: the only one of its environment, deleted as it is`).toEqual([['DELETE', 204]]);
    else expect(mine, `${id}: refused, marked inactive, deleted`).toEqual([['DELETE', 422], ['POST', 201], ['DELETE', 204]]);
  }
  const refused = planned.filter((id) => TIDY.latest[id] !== 'inactive' && id !== 3016 && !alone(id)).length;
  expect(refused).toBeGreaterThan(2);
  await expect(page.getByTestId('run-requests')).toHaveText(
    `Requests sent: ${log.length} (the plan needed 17; GitHub refused ${refused} deletes as active: each got an “inactive” status and was deleted again).`);
  expect(await remaining()).toEqual([TIDY.liveProduction]);
});

test('closing the tab while a run goes asks first; once paused, it closes without a question', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  await latency(400);
  await cleanup.run();
  await expect(cleanup.summary).toHaveText(/^[1-9]\d* of 16 done/, { timeout: 15_000 });
  const asked = [];
  page.on('dialog', async (dialog) => {
    asked.push(dialog.type());
    await dialog.dismiss(); // "Stay on the page"
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toEqual(['beforeunload']);
  expect(page.isClosed(), 'the page stays when the question is dismissed').toBe(false);
  await expect(cleanup.heading).toHaveText('Cleaning up…');
  await page.getByTestId('run-pause').click();
  await expect(cleanup.heading).toHaveText('Cleanup paused');
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(asked, 'no second question for a paused run').toEqual(['beforeunload']);
});

test('a reload mid-run continues the kept run: nothing done is sent again', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.startSlowRun('acme/tidy', SHOP_TOKEN);
  await expect(cleanup.summary).toHaveText(/^[4-9] of 16 done/, { timeout: 15_000 });
  const before = await cleanup.savedRun();
  const done = before.run.items.filter((i) => i.state.state === 'done').map((i) => i.id);
  expect(done.length).toBeGreaterThanOrEqual(4);
  const sentBefore = (await requests()).length;
  await page.reload();
  await expect(page.getByTestId('run-restored')).toBeVisible();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  const after = (await requests()).slice(sentBefore);
  expect(after.filter((r) => done.includes(idOf(r.path))), 'no request for an item already done').toEqual([]);
  expect(await remaining()).toEqual([TIDY.liveProduction]);
});

test('faults during a run (502s, dropped connections) leave failed items with their reason; "retry failed" finishes them', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  await faults({ rate: 0.5, kinds: ['502', 'drop'] });
  await clearRequests();
  await cleanup.run();
  await expect(cleanup.heading).toHaveText('Cleanup finished: some items failed', { timeout: 20_000 });
  const failedText = await cleanup.summary.textContent();
  const failed = Number(failedText.match(/(\d+) failed/)[1]);
  expect(failed, failedText).toBeGreaterThan(0);
  await expect(page.getByTestId('run-failures')).toContainText(/GitHub had a server error|could not reach|network/i);
  await expect(page.getByTestId('run-item')).toHaveCount(failed);
  await page.screenshot({ path: 'tests/e2e/artifacts/cleanup-failed.png', fullPage: true });
  await calm();
  await page.getByTestId('run-retry').click();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  expect(await remaining()).toEqual([TIDY.liveProduction]);
  const log = await requests();
  for (const id of ALL.filter((id) => id !== TIDY.liveProduction)) {
    expect(deletesOf(log, id).filter((r) => r.status === 204), `deployment ${id} deleted once`).toHaveLength(1);
  }
  expect(log.filter((r) => idOf(r.path) === TIDY.liveProduction)).toEqual([]);
});

test('single delete from a deployment page: the same guard rails, an inactive status first when needed, what runs now only when ticked', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.show.selectOption('all');
  await cleanup.row(3016).getByRole('link', { name: '3016' }).click();
  // What staging runs now is kept until ticked, like in a cleanup.
  await expect(page.getByTestId('delete-explanation')).toHaveText('Live in its environment now: kept unless you include it');
  await expect(page.getByTestId('delete-start')).toBeDisabled();
  await page.getByLabel('Delete it although it is what staging runs now').check();
  await expect(page.getByTestId('delete-explanation')).toContainText('GitHub refuses to delete an active deployment that shares its environment');
  await clearRequests();
  await page.getByTestId('delete-start').click();
  await page.getByTestId('delete-confirm').click();
  await expect(page.getByTestId('delete-done')).toContainText('Deployment 3016 was deleted.');
  expect(writes(await requests()).map((r) => [r.method, idOf(r.path), r.status])).toEqual([['POST', 3016, 201], ['DELETE', 3016, 204]]);

  await page.goto(page.url().replace('/3016', '/3012'));
  await expect(page.getByTestId('delete-explanation')).toHaveText('Inactive, so GitHub deletes it as it is.');
  await expect(page.getByTestId('delete-start')).toHaveText('Delete…');

  await page.goto(page.url().replace('/3012', `/${TIDY.liveProduction}`));
  await expect(page.getByTestId('delete-explanation')).toHaveText('Live in a production environment: kept unless you allow it');
  await expect(page.getByTestId('delete-start')).toBeDisabled();
  await page.getByTestId('delete-allow-live').check();
  await expect(page.getByTestId('delete-start')).toBeEnabled();
  await expect(page.getByTestId('delete-start')).toHaveText('Mark inactive and delete…');
  await page.screenshot({ path: 'tests/e2e/artifacts/delete-one.png', fullPage: true });
  expect(await remaining()).toEqual(ALL.filter((id) => id !== 3016));
});

test('in the demo: a cleanup plans and runs against the simulated repository, nothing leaving the page', async ({ page }) => {
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:18080/')) outside.push(r.url());
  });
  const cleanup = new CleanupPage(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'Try the demo' }).click();
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Cleanup' }).click();
  // Its 321 deployments' states come from four GraphQL reads (the simulated API answers GraphQL): nothing to ask.
  await cleanup.expectReady();
  await expect(page.getByTestId('cost-question')).toHaveCount(0);
  // What clicking through would delete: inactive deployments only, nothing live or running.
  const states = await cleanup.rows.locator('.badge').allTextContents();
  expect(states.length).toBeGreaterThan(0);
  expect(new Set(states), 'the default plan deletes inactive deployments only').toEqual(new Set(['Inactive']));
  await page.getByLabel('Keep the newest per environment').fill('3');
  await expect(cleanup.count).toHaveText(/^[1-9][\d,]* deployments? will be deleted/);
  const planned = Number((await cleanup.count.textContent()).match(/^([\d,]+)/)[1].replaceAll(',', ''));
  await cleanup.review.click();
  // The simulated API reports a quota, as github.com does: the pace note says so (not "no rate limit").
  await expect(page.getByTestId('confirm-pace')).toContainText('This server reports a rate limit of 5,000 requests an hour');
  await page.getByText('Back to the plan').click();
  await cleanup.run();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText(`${planned} of ${planned} done, 0 failed, 0 remaining`);
  await page.getByTestId('run-start-over').click();
  // The states are read again, as cheaply.
  await cleanup.expectReady();
  await expect(cleanup.count).toHaveText(/^0 deployments will be deleted/);
  expect(outside, 'the demo sends nothing off the page').toEqual([]);
});

test('a run this browser cannot keep (its storage for the site full) says so, and still goes to the end while the view stays open', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  // Fill the site's storage to its quota, as a kept run of tens of thousands of deployments would.
  await page.evaluate(() => {
    let chunk = 'x'.repeat(1 << 20);
    for (let i = 0; chunk.length >= 512; i++) {
      try {
        localStorage.setItem(`filler-${i}`, chunk);
      } catch {
        chunk = chunk.slice(0, chunk.length / 2);
      }
    }
  });
  await cleanup.selectAll();
  // Slow enough that the run is still going when the notice is looked for (it is shown while it runs).
  await latency(200);
  await cleanup.run();
  await expect(page.getByTestId('run-not-kept')).toContainText('This run could not be kept on this device');
  await cleanup.expectFinished();
  // Every deployment but production's live one (kept by its own switch).
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  expect(await remaining()).toEqual([TIDY.liveProduction]);
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('filler-')) localStorage.removeItem(key);
  });
});
