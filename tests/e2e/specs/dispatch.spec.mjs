import { test, expect } from '../fixtures.mjs';
import { CreatePage } from '../pages/create-page.mjs';
import { seed, dispatches, SHOP_SEED, SHOP_TOKEN } from '../support/fake.mjs';

test.beforeEach(async () => {
  await seed(SHOP_SEED);
});

test('a repository dispatch is checked (at most 10 top-level keys) and sent; 204 is confirmed', async ({ page }) => {
  const create = new CreatePage(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.eventType.fill('deploy-preview');
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
  await create.clientPayload.fill(JSON.stringify(eleven));
  await create.sendDispatch.click();
  await expect(page.locator('#dispatch-payload-error')).toContainText('at most 10 top-level keys');
  await expect(create.clientPayload).toHaveAttribute('aria-invalid', 'true');
  await create.clientPayload.fill('{"pr": 42, "env": {"name": "pr-42"}}');
  await create.sendDispatch.click();
  await expect(create.dispatchResult).toContainText('GitHub accepted the deploy-preview event (204)');
  const sent = await dispatches();
  expect(JSON.stringify(sent)).toContain('deploy-preview');
  expect(JSON.stringify(sent)).toContain('pr-42');
  await page.screenshot({ path: 'tests/e2e/artifacts/dispatch.png', fullPage: true });
});
