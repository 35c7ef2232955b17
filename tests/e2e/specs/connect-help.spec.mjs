// What the connect screen tells a new user before anything is sent: where to make a token (with the scope
// ticked), which addresses the page can reach, and, once connected, what the token can do in plain text.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

test('links to make a token follow the host: github.com with repo_deployment ticked, the GHES host, none for a custom server', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  const links = page.getByTestId('token-links');
  await expect(links.getByRole('link', { name: 'a classic token with repo_deployment ticked' }))
    .toHaveAttribute('href', 'https://github.com/settings/tokens/new?scopes=repo_deployment&description=Deploydeck');
  await expect(links.getByRole('link', { name: 'a fine-grained token' })).toHaveAttribute('href', 'https://github.com/settings/personal-access-tokens/new');
  await expect(links.getByRole('link').first()).toHaveAttribute('target', '_blank');
  await expect(links.getByRole('link').first()).toHaveAttribute('rel', 'noopener noreferrer');
  await page.getByLabel('GitHub Enterprise Server').check();
  await page.getByLabel('Enterprise host').fill('ghe.example.com');
  await expect(links.getByRole('link').first()).toHaveAttribute('href', /^https:\/\/ghe\.example\.com\/settings\/tokens\/new\?scopes=repo_deployment/);
  await page.getByLabel('Custom API address').check();
  await expect(links).toContainText('fake-github prints them when it starts (make fake: demo-token)');
});

for (const keep of ['tab', 'device', 'memory']) {
  test.describe(`with the token kept: ${keep}`, () => {
    test.use({ tokenOnDevice: keep === 'device' });

    test(`a plain http:// address beyond this computer is refused on its field, saying why and what to do; nothing is sent (${keep})`, async ({ page }) => {
      const connect = new ConnectPage(page);
      const sent = [];
      page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:18080/')) sent.push(r.url()); });
      await connect.open();
      await connect.connect({ base: 'http://intranet.example:8080', token: 't-good', repo: 'acme/web', keep });
      const error = page.locator('#host-error');
      await expect(error).toContainText('plain http:// for a host other than this computer');
      await expect(error).toContainText("Use the server's https:// address, or reach it through a proxy on this computer");
      await expect(connect.customBase).toHaveAttribute('aria-invalid', 'true');
      await expect(connect.customBase).toHaveValue('http://intranet.example:8080');
      expect(sent, 'nothing left the page').toEqual([]);
    });
  });
}

test('the access report is plain text with aligned answers, and the overview leads on to every deployment', async ({ page }) => {
  const connect = new ConnectPage(page);
  const repo = new RepoPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-good', repo: 'acme/web' });
  await repo.expectOverview('acme/web');
  const summary = repo.access.locator('p').first();
  expect(await summary.evaluate((el) => getComputedStyle(el).fontWeight), 'not all bold').toBe('400');
  const answers = await repo.access.locator('.ability').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().left)));
  expect(new Set(answers).size, 'the answers start at the same place').toBe(1);
  await page.getByRole('link', { name: 'Create one' }).click();
  await expect(page.getByTestId('deployment-form')).toBeVisible();
});
