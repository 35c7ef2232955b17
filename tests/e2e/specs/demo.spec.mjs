import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';

test('try the demo opens a simulated repository with no token and no request leaving the page', async ({ page }) => {
  const outside = [];
  const fetched = [];
  page.on('request', (r) => {
    fetched.push(new URL(r.url()).pathname);
    if (!r.url().startsWith('http://127.0.0.1:18080/')) outside.push(r.url());
  });
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  expect(fetched.filter((p) => p.startsWith('/demo/')), 'the simulator is not part of the first load').toEqual([]);
  await connect.tryDemo.click();
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/overview$/);
  await repo.expectOverview('acme/storefront');
  await expect(repo.demoBadge).toHaveText('Simulated data');
  await expect(page.getByRole('note').filter({ hasText: 'simulated repository' })).toBeVisible();
  await expect(repo.rows).toHaveCount(10);
  await expect(repo.access).toContainText('can read and write deployments');
  for (const view of ['Create', 'History', 'Cleanup']) {
    await repo.nav.getByRole('link', { name: view }).click();
    await expect(page.getByRole('heading', { level: 1, name: view })).toBeVisible();
  }
  await repo.nav.getByRole('link', { name: 'Overview' }).click();
  await expect(repo.rows).toHaveCount(10);
  expect(outside, 'the demo sends nothing off the page').toEqual([]);
  expect(fetched).toContain('/demo/deploydeck_demo_bg.wasm');
  await repo.screenshot('demo-overview');
});

test('the demo has runs waiting for a review: one to approve here, one of your own you may not', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  await repo.nav.getByRole('link', { name: 'Reviews' }).click();
  await expect(page.getByTestId('reviews-count')).toHaveText('2 runs wait for a review.');
  const mine = page.getByTestId('run-card').filter({ hasText: 'Fix the header on small screens' });
  await expect(mine.getByTestId('verdict')).toContainText('prevents self-review');
  const theirs = page.getByTestId('run-card').filter({ hasText: 'Checkout: remember the last payment method' });
  await theirs.getByLabel('Comment').fill('Looks right');
  await theirs.getByTestId('approve').click();
  await expect(page.getByTestId('review-result')).toContainText('Approved production');
  await expect(page.getByTestId('reviews-count')).toHaveText('1 run waits for a review.');
});

test('the demo has a fleet: its three repositories pinned, every environment with its latest, its review inbox, nothing sent off the page', async ({ page }) => {
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:18080/')) outside.push(r.url());
  });
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.tryDemo.click();
  await repo.expectOverview('acme/storefront');
  await page.getByTestId('fleet-link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
  const rows = page.getByTestId('fleet-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.getByTestId('fleet-repo')).toHaveText(['acme/storefront', 'acme/payments-api', 'acme/docs']);
  await expect(page.getByTestId('fleet-matrix').locator('thead th').nth(1)).toHaveText('production');
  await expect(page.locator('[data-testid="fleet-row"][data-repo="acme/storefront"] [data-testid="cell"][data-environment="production"]')).toBeVisible();
  await expect(page.getByTestId('row-error')).toHaveCount(0);
  await page.screenshot({ path: 'tests/e2e/artifacts/demo-fleet.png', fullPage: true });
  // Its review inbox: the simulated runs waiting, by commit, the one the demo's user started said so.
  await page.getByRole('navigation', { name: 'Fleet views' }).getByRole('link', { name: 'Reviews waiting' }).click();
  await expect(page.getByTestId('inbox-count')).toHaveText('3 runs wait for 2 commits.');
  await expect(page.getByTestId('group-approve')).toHaveCount(2);
  await expect(page.getByTestId('verdict').filter({ hasText: 'You started this run' })).toHaveCount(1);
  expect(outside, 'the demo sends nothing off the page').toEqual([]);
});
