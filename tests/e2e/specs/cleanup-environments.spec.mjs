// Issue 20, item 4: after a cleanup, the environments left with no deployment are offered for deletion —
// nothing ticked by default, a production-like one only by its own tick (and the repository's name typed),
// the admin right checked up front with what to do, their settings downloadable first, each DELETE reported.
import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { seed, api, requests, clearRequests, calm, settings, TIDY, SHOP_TOKEN } from '../support/fake.mjs';

/// A fine-grained token of mona's without Administration.
const FINE = 't-tidy-fine';

/// TIDY with more environments: two left over (one production-like), a protected preview, and `role` for mona.
function tidyWith(role) {
  const [repo] = TIDY.seed.repositories;
  return {
    ...TIDY.seed,
    tokens: [...TIDY.seed.tokens, { token: FINE, user: 'mona', permissions: { deployments: 'write', actions: 'read' } }],
    repositories: [{
      ...repo,
      collaborators: { mona: role, hubot: 'write' },
      environments: [
        { name: 'production' }, { name: 'staging' }, { name: 'prod-eu' }, { name: 'preview/old' },
        { name: 'review/pr-7' }, { name: 'review/pr-8' }, { name: 'review/pr-9', wait_timer: 5, reviewers: ['mona'] },
      ],
    }],
  };
}

test.afterEach(async () => {
  await calm();
});

const environmentNames = async () =>
  (await api('/repos/acme/tidy/environments?per_page=100', SHOP_TOKEN)).body.environments.map((e) => e.name).sort();

test('after a cleanup, empty environments are deleted only when ticked; production-like ones one by one, with the name typed; settings backed up first', async ({ page }) => {
  await seed(tidyWith('admin'));
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  await cleanup.run();
  await cleanup.expectFinished();

  const panel = page.getByTestId('empty-environments');
  await panel.getByTestId('find-empty-environments').click();
  // Everything but production's live deployment went: every other environment is empty.
  await expect(page.getByTestId('empty-environments-found')).toHaveText('6 environments with no deployment left.');
  const rows = page.getByTestId('environment-row');
  await expect(rows).toHaveText([/^preview\/old/, /^prod-euproduction \(production-like/, /^review\/pr-7/, /^review\/pr-8/, /^review\/pr-9/, /^staging/]);
  await expect(page.getByTestId('environments-admin')).toHaveCount(0);
  const box = (name) => page.locator(`[data-testid=environment-row][data-name="${name}"]`).getByRole('checkbox');
  for (const name of ['preview/old', 'prod-eu', 'staging']) await expect(box(name), 'nothing ticked by default').not.toBeChecked();
  await expect(page.getByTestId('environments-review')).toBeDisabled();

  await page.getByTestId('environments-tick-all').click();
  await expect(box('prod-eu'), 'production-like: never by "all"').not.toBeChecked();
  await expect(box('review/pr-9')).toBeChecked();
  await box('staging').uncheck();
  await box('prod-eu').check();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('environments-review').click();
  await expect(page.getByTestId('environments-confirmation')).toHaveText(
    'Deploydeck will delete 5 environments from acme/tidy: preview/old, prod-eu, review/pr-7, review/pr-8, review/pr-9. Each one\'s protection rules, required reviewers, wait timer, branch policy, secrets and variables go with it and cannot be restored; download their settings first to keep a record. This includes 1 production-like environment (prod-eu).');
  const remove = page.getByTestId('environments-delete');
  await expect(remove, 'the repository\'s name first').toBeDisabled();

  const file = page.waitForEvent('download');
  await page.getByTestId('environments-backup').click();
  const backup = JSON.parse(readFileSync(await (await file).path(), 'utf8'));
  expect(backup.repository).toBe('acme/tidy');
  expect(backup.environments.map((e) => e.name)).toEqual(['preview/old', 'prod-eu', 'review/pr-7', 'review/pr-8', 'review/pr-9']);
  const pr9 = backup.environments.find((e) => e.name === 'review/pr-9');
  expect(pr9.protection_rules.map((r) => r.type)).toEqual(['wait_timer', 'required_reviewers']);
  expect(await seriousViolations(page)).toEqual([]);

  await clearRequests();
  await page.getByTestId('environments-confirm').fill('acme/tidy');
  await remove.click();
  await expect(page.getByTestId('environments-summary')).toHaveText('5 deleted');
  await expect(page.locator('[data-testid=environment-row][data-name="review/pr-9"] [data-testid=environment-outcome]')).toHaveText(' — deleted');
  const deletes = (await requests()).filter((r) => r.method === 'DELETE');
  expect(deletes.map((r) => [decodeURIComponent(r.path.split('/environments/')[1]), r.status])).toEqual(
    [['preview/old', 204], ['prod-eu', 204], ['review/pr-7', 204], ['review/pr-8', 204], ['review/pr-9', 204]]);
  expect(await environmentNames()).toEqual(['production', 'staging']);
});

/// With mona an admin of acme/tidy, opens its Cleanup with `token` and, before any run, finds the two
/// environments already empty (preview/old, prod-eu).
async function findBeforeAnyRun(page, token) {
  await seed(tidyWith('admin'));
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', token);
  await page.getByTestId('find-empty-environments').click();
  await expect(page.getByTestId('empty-environments-found')).toHaveText('2 environments with no deployment left.');
  return cleanup;
}

test('from the plan, before any run: environments that are already empty can be deleted the same way', async ({ page }) => {
  const cleanup = await findBeforeAnyRun(page, SHOP_TOKEN);
  await page.getByTestId('environments-tick-all').click();
  await clearRequests();
  await page.getByTestId('environments-review').click();
  await expect(page.getByTestId('environments-confirmation')).toContainText('Deploydeck will delete 1 environment from acme/tidy: preview/old.');
  await expect(page.getByTestId('environments-confirm'), 'no production-like one: no name to type').toHaveCount(0);
  await page.getByTestId('environments-delete').click();
  await expect(page.getByTestId('environments-summary')).toHaveText('1 deleted');
  expect((await requests()).filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/repos/acme/tidy/environments/preview%2Fold']);
  expect(await environmentNames()).toEqual(['prod-eu', 'production', 'review/pr-7', 'review/pr-8', 'review/pr-9', 'staging']);
  await expect(cleanup.count, 'the plan is untouched').toHaveText(/will be deleted/);
});

test('a fine-grained token without Administration: the first deletion is refused with what to grant, and the rest are not sent', async ({ page }) => {
  await findBeforeAnyRun(page, FINE);
  await page.getByTestId('environments-tick-all').click();
  await page.locator('[data-testid=environment-row][data-name="prod-eu"]').getByRole('checkbox').check();
  await clearRequests();
  await page.getByTestId('environments-review').click();
  await page.getByTestId('environments-confirm').fill('acme/tidy');
  await page.getByTestId('environments-delete').click();
  const panel = page.getByTestId('empty-environments').getByTestId('error-panel');
  await expect(panel).toContainText('GitHub refused to delete an environment, so the rest were not sent');
  await expect(panel).toContainText('Edit the fine-grained token and grant Administration');
  expect((await requests()).filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([403]);
  await expect(page.getByTestId('environments-summary')).toHaveText('1 failed');
  expect(await environmentNames()).toContain('preview/old');
});

// What GitHub answers a writer's DELETE is not documented (403 or 404: the fake's `non_admin`); the admin right is
// read up front, so under either reading nothing is sent.
for (const nonAdmin of ['forbidden', 'not_found']) {
  test(`without admin rights on the repository, the empty environments are listed with what to do, and none can be deleted (non_admin: ${nonAdmin})`, async ({ page }) => {
    await seed(tidyWith('write'));
    await settings({ non_admin: nonAdmin });
    const cleanup = new CleanupPage(page);
    await cleanup.open('acme/tidy', SHOP_TOKEN);
    await cleanup.run(); // the safe default: the inactive ones
    await cleanup.expectFinished();
    await clearRequests();
    await page.getByTestId('find-empty-environments').click();
    await expect(page.getByTestId('environments-admin')).toHaveText(
      'Deleting an environment needs admin rights on acme/tidy, and this account does not have them there. Ask an admin of the repository to delete them, or to give you the admin role; the list below stays as a record.');
    await expect(page.getByTestId('empty-environments-found')).toHaveText('3 environments with no deployment left.');
    await page.getByTestId('environments-tick-all').click();
    await expect(page.getByTestId('environments-review')).toBeDisabled();
    expect((await requests()).filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
}
