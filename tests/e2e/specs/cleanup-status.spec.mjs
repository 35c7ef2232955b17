// Bulk statuses: the selection can post a status instead of deleting — the ready-made "stuck" rule gives an
// `error` status to deployments pending, queued or in progress with nothing new for hours, with the same
// preview, confirmation, run and report as a cleanup, and nothing deleted.
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { saveScript, runScript, shellcheck } from '../support/script.mjs';
import { api, requests, clearRequests, TIDY, SHOP_TOKEN, writes, idOf, seedEachTest } from '../support/fake.mjs';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hoursAgo = (h) => Date.now() - h * 3_600_000;
/// acme/tidy as TIDY seeds it (3017 in progress since August), plus one pending for three hours and one
/// queued half an hour ago.
const STUCK = (() => {
  const extra = [[3018, 'pending', 3], [3019, 'queued', 0.5]].map(([id, state, hours]) => ({
    id, ref: 'main', sha: '1111111111111111111111111111111111111111', environment: 'staging',
    creator: 'mona', created_at: iso(hoursAgo(hours) - 60_000), statuses: [{ state, created_at: iso(hoursAgo(hours)) }],
  }));
  const [tidy] = TIDY.seed.repositories;
  return { ...TIDY.seed, repositories: [{ ...tidy, deployments: [...tidy.deployments, ...extra] }] };
})();
const DESCRIPTION = 'Marked as errored by Deploydeck: no progress for more than 2 hours';

seedEachTest(test, STUCK);

test('the stuck rule: an error status on what has been pending or in progress for hours, nothing deleted', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await page.getByTestId('stuck-rule').click();
  await expect(page.getByTestId('write-status')).toBeChecked();
  await expect(page.getByLabel('Nothing new for more than (hours)')).toHaveValue('2');
  await expect(page.getByLabel('Description (optional)')).toHaveValue(DESCRIPTION);
  await expect(cleanup.count).toHaveText('2 deployments will get an “Error” status, 17 kept; 2 requests to GitHub. Nothing is deleted.');
  expect(await cleanup.ids()).toEqual([3018, 3017]);
  await expect(cleanup.row(3018).getByTestId('plan-action')).toHaveText('Post the status');
  await cleanup.show.selectOption('kept');
  await expect(cleanup.row(3019).getByTestId('plan-reason')).toHaveText('Active within the last hour: not idle long enough');
  await cleanup.show.selectOption('deleted');
  await expect(cleanup.show.locator('option[value=deleted]')).toHaveText('What gets the status');
  expect(await seriousViolations(page), 'the form with its status fields').toEqual([]);

  // A description GitHub would refuse is said on its field, and no plan is made until it is mended.
  const description = page.getByLabel('Description (optional)');
  await description.fill('x'.repeat(141));
  await expect(description).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#cleanup-status-description-error')).toHaveText('A status description can have at most 140 characters; this one has 141.');
  await expect(cleanup.count).toHaveText('Correct the selection to see the plan.');
  await description.fill(DESCRIPTION);
  await expect(cleanup.count).toHaveText(/^2 deployments will get/);

  // The confirmation says what happens, by keyboard as by pointer.
  await clearRequests();
  await cleanup.review.click();
  await expect(page.getByRole('heading', { name: 'Before any status is posted' })).toBeFocused();
  await expect(page.getByTestId('confirm-summary')).toContainText(`Deploydeck will post an “Error” status (“${DESCRIPTION}”) on 2 deployments of acme/tidy on `);
  await expect(page.getByTestId('confirm-summary')).toContainText('2 pending, queued or in progress with nothing new since. Nothing is deleted;');
  await expect(page.getByTestId('confirm-duration')).toContainText('for 2 statuses');
  await expect(cleanup.start).toHaveText('Post the status on 2 deployments');
  expect(writes(await requests()), 'a preview sends nothing').toEqual([]);
  await cleanup.start.focus();
  await page.keyboard.press('Enter');
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('2 of 2 done, 0 failed, 0 remaining');
  await page.getByTestId('run-report-list').locator('summary').click();
  await expect(page.getByTestId('report-row')).toHaveCount(2);
  for (const row of await page.getByTestId('report-row').all()) await expect(row).toContainText('status posted');
  await expect(page.getByTestId('empty-environments'), 'a status run leaves no environment empty').toHaveCount(0);
  expect(await seriousViolations(page), 'the finished status run').toEqual([]);

  // GitHub holds an error status, with the description, on each; nothing was deleted.
  // On a host without rate limits the run sends up to four changes at once (the pace the person chose), so the
  // order in which two concurrent writes reach the server is not defined: which writes were made, and each
  // one's answer, are — exactly one accepted POST for each of the two (issue 37).
  const log = writes(await requests());
  const made = log.map((r) => [r.method, idOf(r.path), r.status]).sort(([, a], [, b]) => a - b);
  expect(made).toEqual([['POST', 3017, 201], ['POST', 3018, 201]]);
  for (const id of [3018, 3017]) {
    const { body } = await api(`/repos/acme/tidy/deployments/${id}/statuses`, SHOP_TOKEN);
    expect([body[0].state, body[0].description], `${id}'s newest status`).toEqual(['error', DESCRIPTION]);
  }
  const { body: left } = await api('/repos/acme/tidy/deployments?per_page=100', SHOP_TOKEN);
  expect(left).toHaveLength(19);
});

test('a status write keeps the guard rails: what is live is not given a status unless included', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await page.getByTestId('write-status').check();
  await page.getByLabel('Status', { exact: true }).selectOption('inactive');
  await page.getByRole('checkbox', { name: 'Inactive', exact: true }).uncheck();
  await page.getByRole('checkbox', { name: 'Success', exact: true }).check();
  // Every success: the older ones get "inactive"; the live ones are kept by the guard rails.
  await expect(cleanup.count).toHaveText(/^\d+ deployments will get an “Inactive” status, \d+ kept/);
  await cleanup.show.selectOption('guarded');
  await expect(cleanup.row(TIDY.liveProduction).getByTestId('plan-reason')).toHaveText('Live in a production environment: kept unless you allow it');
  await expect(cleanup.row(3016).getByRole('checkbox', { name: 'Post the status on deployment 3016' })).not.toBeChecked();
  await page.getByText('Also include what is live in other environments (staging, previews)').click();
  await cleanup.show.selectOption('deleted');
  await expect(cleanup.row(3016).getByTestId('plan-action')).toHaveText('Post the status');
  await expect(cleanup.row(TIDY.liveProduction)).toHaveCount(0);
});

test('a status run downloaded as a script posts the same statuses, and running it again sends nothing', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await page.getByTestId('stuck-rule').click();
  await page.getByLabel('Description (optional)').fill("Stuck since the runner's outage: it won't finish");
  await expect(cleanup.count).toHaveText(/^2 deployments will get/);
  await cleanup.review.click();
  const file = page.waitForEvent('download');
  await page.getByTestId('download-script').click();
  const script = await saveScript(await file);
  expect(script.steps).toEqual(['status 3018', 'status 3017']);
  expect(script.text).toContain('# 2 deployments get an "error" status (nothing is deleted): 2 requests');
  const check = shellcheck(script);
  expect(check.status, `shellcheck: ${check.said}`).toBe(0);

  await clearRequests();
  const ran = await runScript(script, { GITHUB_TOKEN: SHOP_TOKEN });
  expect(ran.code, ran.lines.join('\n')).toBe(0);
  expect(ran.lines.filter((l) => l.endsWith('status posted'))).toHaveLength(2);
  expect(writes(await requests()).map((r) => [r.method, idOf(r.path), r.status])).toEqual([['POST', 3018, 201], ['POST', 3017, 201]]);
  for (const id of [3018, 3017]) {
    const { body } = await api(`/repos/acme/tidy/deployments/${id}/statuses`, SHOP_TOKEN);
    expect([body[0].state, body[0].description]).toEqual(['error', "Stuck since the runner's outage: it won't finish"]);
  }
  await clearRequests();
  const again = await runScript(script, { GITHUB_TOKEN: SHOP_TOKEN });
  expect(again.code).toBe(0);
  expect(writes(await requests()), 'every step was noted as done').toEqual([]);
});
