// Issue 17, items 1 and 2: a link can choose the API host, so a crafted link must not be able to phish a
// token. Three crafted links — a custom address, a GHES host, a Cyrillic look-alike of github.com — each
// under the token-capture fixture in every storage mode: the page says where the token would go and that it
// is not github.com, shows the host as it really is, and sends nothing until the person says yes to that host.
// The attacker's hosts are stood in for by a route that records what reaches them and answers as fake-github.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { FAKE } from '../playwright.config.mjs';

const LINKS = [
  {
    name: 'a custom API address',
    path: `/custom/acme/web/overview?api=${encodeURIComponent('https://api.github.com.evil.example')}`,
    origin: 'https://api.github.com.evil.example',
    shown: 'https://api.github.com.evil.example',
    says: 'This link opens an API address you have never connected to from this browser: https://api.github.com.evil.example. It is not github.com.',
    unusual: false,
  },
  {
    name: 'a GHES host',
    path: '/api.github.com.evil.example/acme/web/overview',
    origin: 'https://api.github.com.evil.example',
    shown: 'api.github.com.evil.example',
    says: 'This link opens a GitHub Enterprise Server you have never connected to from this browser: api.github.com.evil.example. It is not github.com. The token you paste would be sent to https://api.github.com.evil.example/api/v3',
    unusual: false,
  },
  {
    name: 'a Cyrillic look-alike of github.com',
    path: '/g%D1%96thub.com/acme/web/overview',
    origin: 'https://xn--gthub-n2e.com',
    shown: 'xn--gthub-n2e.com',
    says: 'This link opens a GitHub Enterprise Server you have never connected to from this browser: xn--gthub-n2e.com (unusual characters). It is not github.com.',
    unusual: true,
  },
];

/// Stands in for `origin`: records every request that reaches it (with its Authorization) and answers as
/// fake-github would (CORS preflights are answered by Playwright itself for routed requests).
async function standIn(page, origin) {
  const reached = [];
  await page.route(`${origin}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    reached.push({ url: request.url(), authorization: (await request.allHeaders()).authorization });
    const response = await route.fetch({ url: `${FAKE}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
  return reached;
}

for (const keep of ['tab', 'device', 'memory']) {
  test.describe(`with the token kept: ${keep}`, () => {
    for (const link of LINKS) {
      test.describe(link.name, () => {
        test.use({ apiOrigins: [new URL(FAKE).origin, link.origin], tokenOnDevice: keep === 'device' });

        test(`no token leaves before a yes to the host it names, and the host is remembered after (${keep})`, async ({ page }) => {
          const connect = new ConnectPage(page);
          const repo = new RepoPage(page);
          const reached = await standIn(page, link.origin);
          await page.goto(link.path);
          await expect(page.getByRole('heading', { level: 1, name: 'Connect to open acme/web' })).toBeVisible();

          // The host as it really is, in the header and in the words above the form.
          await expect(repo.where.locator('.host-name')).toHaveText(link.shown);
          await expect(repo.where.getByTestId('unusual-host')).toHaveCount(link.unusual ? 1 : 0);
          if (link.unusual) await expect(repo.where).not.toContainText('github.com');
          const arrival = page.getByTestId('arrival');
          await expect(arrival).toContainText(link.says);
          await expect(arrival).not.toContainText('Paste it again');

          // Connect without the yes: the form says what is missing, keeps what was typed, sends nothing.
          await connect.keepToken(keep);
          await connect.token.fill('t-good');
          await connect.connectButton.click();
          const yes = page.getByLabel(`Yes, send my token to ${link.shown}`);
          await expect(yes).toHaveAttribute('aria-invalid', 'true');
          await expect(page.locator('#destination-error')).toContainText('This link chose where the token goes, not you.');
          await expect(connect.token).toHaveValue('t-good');
          await expect(connect.repository).toHaveValue('acme/web');
          expect(reached, 'nothing reached the host before the yes').toEqual([]);

          // The yes, for this very host: the token goes there, and only there.
          await yes.check();
          await connect.connectButton.click();
          await repo.expectOverview('acme/web');
          expect(reached.length).toBeGreaterThan(0);
          expect(reached.map((r) => r.authorization)).toEqual(reached.map(() => 'Bearer t-good'));

          // Remembered (its origin, never the token): a reload opens it again or, with the token in memory
          // only, asks for the token again without a yes.
          await expect.poll(() => page.evaluate(() => localStorage.getItem('deploydeck.hosts'))).toBe(link.origin);
          await page.reload();
          if (keep === 'memory') {
            await expect(page.getByTestId('arrival')).toContainText('Paste it again');
            await expect(page.getByTestId('token-destination')).toHaveCount(0);
          } else {
            await repo.expectOverview('acme/web');
          }
          await page.goto('/');
          const recent = page.getByTestId('recent');
          await expect(recent).toContainText(`acme/web on ${link.shown}`);
          await expect(recent.getByTestId('unusual-host')).toHaveCount(link.unusual ? 1 : 0);
        });
      });
    }
  });
}

test('a yes to the host a link named is no yes to another typed in its place', async ({ page }) => {
  const connect = new ConnectPage(page);
  const reached = [];
  page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:18080/')) reached.push(r.url()); });
  await page.goto('/ghe.example.com/acme/web/overview');
  await connect.token.fill('t-good');
  await page.getByLabel('Yes, send my token to ghe.example.com').check();
  await page.getByLabel('Enterprise host').fill('ghe.other.example');
  const yes = page.getByLabel('Yes, send my token to ghe.other.example');
  await expect(yes).not.toBeChecked();
  await connect.connectButton.click();
  await expect(yes).toHaveAttribute('aria-invalid', 'true');
  expect(reached, 'nothing left the page').toEqual([]);
});

test('github.com and this computer need no yes, and the words still say where the token goes', async ({ page }) => {
  await page.goto('/github.com/acme/web/overview');
  await expect(page.getByTestId('arrival')).toContainText('The token you paste is sent to https://api.github.com (GitHub) and nowhere else.');
  await expect(page.getByTestId('token-destination')).toHaveCount(0);
  await page.goto(`/custom/acme/web/overview?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByTestId('arrival')).toContainText('It is a server on this computer, not github.com');
  await expect(page.getByTestId('token-destination')).toHaveCount(0);
});
