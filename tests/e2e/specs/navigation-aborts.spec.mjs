import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

test.afterEach(async ({ request }) => {
  await request.post(`${FAKE}/_fake/latency`, { data: { ms: 0 } });
});

test('leaving a screen aborts its requests still in flight', async ({ page, request }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-good', repo: 'acme/web' });
  await repo.expectOverview('acme/web');
  await page.goto('/');

  // Every answer now takes 3 s: open the overview, then leave it at once.
  await request.post(`${FAKE}/_fake/latency`, { data: { ms: 3000 } });
  const aborted = [];
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(FAKE)) aborted.push(`${r.failure()?.errorText} ${new URL(r.url()).pathname}`);
  });
  const started = [];
  page.on('request', (r) => r.url().startsWith(FAKE) && r.method() !== 'OPTIONS' && started.push(r.url()));
  await page.getByTestId('recent').getByRole('link', { name: /acme\/web/ }).click();
  await expect(repo.overview).toBeVisible();
  await expect.poll(() => started.length).toBeGreaterThan(0);
  await repo.nav.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await expect.poll(() => aborted.length, { timeout: 2000 }).toBeGreaterThan(0);
  expect(aborted.every((a) => a.startsWith('net::ERR_ABORTED')), aborted.join('\n')).toBe(true);
});
