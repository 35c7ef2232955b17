import { test } from '../fixtures.mjs';
test('debug', async ({ page }) => {
  page.on('console', (m) => console.log('console', m.text()));
  await page.goto('/demo/acme/storefront/history');
  await page.waitForTimeout(4000);
  console.log(await page.getByTestId('history-count').textContent());
  console.log('rows', await page.getByTestId('history-row').count(), 'loading', await page.getByTestId('state-loading').count());
  await page.screenshot({ path: 'tests/e2e/artifacts/history-debug.png', fullPage: true });
});
