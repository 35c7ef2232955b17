import { test, expect } from '../fixtures.mjs';
import { CreatePage, DeploymentPage } from '../pages/create-page.mjs';
import { seed, api, requests, clearRequests, SHOP_SEED, SHOP_TOKEN } from '../support/fake.mjs';

test.beforeEach(async () => {
  await seed(SHOP_SEED);
});

async function latestStates(ids) {
  const states = {};
  for (const id of ids) {
    const { body } = await api(`/repos/acme/shop/deployments/${id}/statuses?per_page=100`, SHOP_TOKEN);
    states[id] = body[0]?.state ?? null;
  }
  return states;
}

async function newProductionDeployment(page) {
  const create = new CreatePage(page);
  const deployment = new DeploymentPage(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'main', environment: 'production' });
  await create.create.click();
  await expect(deployment.root).toBeVisible();
  return { deployment, id: deployment.idFromUrl() };
}

test('a success previews which deployments auto-inactive will mark inactive, and the fake does exactly that', async ({ page }) => {
  const { deployment, id } = await newProductionDeployment(page);
  await deployment.expectOpen(id, 'production');
  const before = await latestStates([101, 102, 103]);
  expect(before).toEqual({ 101: 'inactive', 102: 'success', 103: 'success' });
  // Just created and without a status: it may be about to run, so the delete section keeps it.
  await expect(page.getByTestId('delete-explanation')).toHaveText('No status within the last hour: it may be running now. Kept unless you tick it');
  await deployment.chooseState('Success');
  const previewed = deployment.preview.getByTestId('will-deactivate');
  await expect(previewed).toHaveText(['Deployment 102']);
  await expect(deployment.preview).toContainText('will mark 1 earlier deployment of production inactive');
  const promised = await previewed.allTextContents();
  await page.screenshot({ path: 'tests/e2e/artifacts/post-status-preview.png', fullPage: true });
  await deployment.post.click();
  await expect(page.getByTestId('status-result')).toContainText('Posted: Success.');
  await expect(deployment.statuses).toHaveCount(1);
  await expect(deployment.statuses.first()).toContainText('Success');
  const after = await latestStates([101, 102, 103, id]);
  const changed = Object.keys(after).filter((k) => k !== String(id) && after[k] !== before[k]).map((k) => `Deployment ${k}`);
  expect(changed, 'what the fake marked inactive is what the page previewed').toEqual(promised);
  // The preview follows: nothing is left for another success to mark inactive.
  await expect(deployment.preview).toContainText('marks no other deployment inactive');
  // So does the delete section: it is now what production runs.
  await expect(page.getByTestId('delete-explanation')).toHaveText('Live in a production environment: kept unless you allow it');
  expect(after[102]).toBe('inactive');
  expect(after[id]).toBe('success');
});

test('auto-inactive turned off, or a state other than success, previews nothing', async ({ page }) => {
  const { deployment } = await newProductionDeployment(page);
  await deployment.chooseState('Success');
  await expect(deployment.preview.getByTestId('will-deactivate')).toHaveCount(1);
  await deployment.form.getByRole('checkbox', { name: /Auto-inactive/ }).uncheck();
  await expect(deployment.preview).toContainText('marks no other deployment inactive');
  await deployment.chooseState('In progress');
  await expect(deployment.preview).toBeEmpty();
});

test('the description counter counts down to 140 and a longer one is refused on its field, before sending', async ({ page }) => {
  const { deployment } = await newProductionDeployment(page);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/statuses')) posts.push(r.url()); });
  await deployment.chooseState('Queued');
  await deployment.description.fill('x'.repeat(130));
  await expect(page.locator('#status-description-count')).toHaveText('10 of 140 characters left');
  await deployment.description.fill('x'.repeat(150));
  await expect(page.locator('#status-description-count')).toHaveText('10 characters too many (GitHub allows 140)');
  await deployment.post.click();
  await expect(page.locator('#status-description-error')).toContainText('at most 140 characters');
  expect(posts).toEqual([]);
  await deployment.description.fill('Picked up by the runner');
  await deployment.post.click();
  await expect(deployment.statuses.first()).toContainText('Queued');
  await expect(deployment.statuses.first()).toContainText('Picked up by the runner');
});

test('a status posted behind the page’s back shows up while the page is open; asking again unchanged is a free 304', async ({ page }) => {
  await page.clock.install();
  const { deployment, id } = await newProductionDeployment(page);
  await expect(deployment.noStatus).toBeVisible();
  const posted = await api(`/repos/acme/shop/deployments/${id}/statuses`, SHOP_TOKEN, {
    method: 'POST',
    body: JSON.stringify({ state: 'in_progress', description: 'runner 7', log_url: 'https://ci.example/7' }),
  });
  expect(posted.status).toBe(201);
  await clearRequests();
  await page.clock.fastForward('00:05');
  await expect(deployment.statuses.first()).toContainText('In progress');
  await expect(deployment.statuses.first().getByRole('link', { name: 'log' })).toHaveAttribute('href', 'https://ci.example/7');
  await page.clock.fastForward('00:05');
  // The page's watch reads the whole list (per_page=100); the auto-inactive preview's one-status reads of the
  // environment's deployments (per_page=1) hit the same path and are not part of this.
  const statusReads = async () => (await requests())
    .filter((r) => r.method === 'GET' && r.path === `/repos/acme/shop/deployments/${id}/statuses` && r.query === 'per_page=100&page=1')
    .map((r) => r.status);
  await expect.poll(statusReads).toEqual([200, 304]);
  await expect(deployment.statuses).toHaveCount(1);
});

test('a deployment nothing picks up is explained after a while: what normally posts its first status', async ({ page }) => {
  await page.clock.install();
  const { deployment } = await newProductionDeployment(page);
  await expect(deployment.noStatus).toBeVisible();
  await expect(page.getByTestId('nothing-picked-up')).toHaveCount(0);
  await page.clock.fastForward('00:30');
  const explained = page.getByTestId('nothing-picked-up');
  await expect(explained).toContainText('Nothing has picked this deployment up yet.');
  await expect(explained).toContainText('on: deployment');
  await expect(explained).toContainText("GITHUB_TOKEN does not");
});
