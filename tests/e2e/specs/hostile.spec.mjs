// Issue 8, item 2: hostile API data (support/hostile.mjs) on every view. Each screen must render it inert —
// no script runs (and the fixture sees no CSP violation, which an injected handler would cause), no element
// carries an event-handler attribute, no link leads anywhere but http(s) — show it as the text it is (hidden
// control characters made visible, long text clipped with its length said), and keep its layout: the page
// never scrolls sideways. Screenshots: tests/e2e/artifacts/hostile-*.png.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { RepoPage } from '../pages/repo-page.mjs';
import { HistoryPage } from '../pages/history-page.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { seed, calm, api } from '../support/fake.mjs';
import { HOSTILE_SEED, HOSTILE_REVIEWS_SEED, HOSTILE_TOKEN, SCRIPT, IMG, SVG, LONG, FORMULA, OLDER_SHA } from '../support/hostile.mjs';
import { csvRows } from '../support/csv.mjs';
import { FAKE } from '../playwright.config.mjs';

test.beforeEach(async () => {
  await calm();
  await seed(HOSTILE_SEED);
});

/// What would show that hostile data was not inert, on the screen as it is now.
async function inert(page, screen) {
  const found = await page.evaluate(() => {
    const problems = [];
    if (window.__pwned !== undefined) problems.push(`a payload ran: ${window.__pwned}`);
    for (const a of document.querySelectorAll('a[href]')) {
      const protocol = new URL(a.href, location.href).protocol;
      if (protocol !== 'http:' && protocol !== 'https:') problems.push(`a link to ${a.getAttribute('href').slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on')) problems.push(`<${el.localName} ${attr.name}>`);
      }
      // The app's own pictures: History's chart, and avatars only from GitHub's avatar host.
      const drawn = (el.localName === 'svg' && el.closest('[data-testid=chart]'))
        || (el.localName === 'img' && el.src.startsWith('https://avatars.githubusercontent.com/'));
      if (['iframe', 'object', 'embed', 'img', 'svg'].includes(el.localName) && !drawn) problems.push(`an element <${el.localName}> from the data`);
    }
    for (const s of document.querySelectorAll('script')) {
      if (!s.src) problems.push('an inline <script> element');
    }
    // Hidden controls (zero-width, bidi overrides) are shown as ⟨U+…⟩, never left to disguise a name.
    const hidden = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/.exec(document.body.innerText);
    if (hidden) problems.push(`a hidden control character U+${hidden[0].codePointAt(0).toString(16)} in the page text`);
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    if (wide > 1) problems.push(`the page scrolls sideways by ${wide}px`);
    return problems;
  });
  await page.screenshot({ path: `tests/e2e/artifacts/hostile-${screen}.png`, fullPage: true });
  return found.map((p) => `${screen}: ${p}`);
}

async function connect(page) {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: HOSTILE_TOKEN, repo: 'acme/hostile' });
  await expect(page.getByTestId('overview')).toBeVisible();
}

const nav = (page, name) => new RepoPage(page).view(name);

test('overview, History and every deployment’s page render hostile data as inert text', async ({ page }) => {
  test.setTimeout(60_000);
  const found = [];
  await connect(page);
  await expect(page.getByTestId('recent-deployments')).toContainText(IMG);
  found.push(...await inert(page, 'overview'));

  await nav(page, 'History').click();
  const history = new HistoryPage(page);
  await history.expectAllLoaded(4);
  await expect(history.view).toContainText(SCRIPT);
  await expect(history.view).toContainText(SVG.trim());
  found.push(...await inert(page, 'history'));
  // A filter typed from the data travels in the address as text and filters on it.
  await history.environment.fill(IMG);
  await history.apply.click();
  await expect(history.count).toHaveText('1 of 1 deployments shown.');
  found.push(...await inert(page, 'history-filtered'));

  for (const id of [4001, 4002, 4003, 4004]) {
    await page.goto(`/custom/acme/hostile/deployments/${id}?api=${encodeURIComponent(FAKE)}`);
    await expect(page.getByTestId('deployment-page')).toBeVisible();
    await expect(page.getByTestId('status').first()).toBeVisible();
    found.push(...await inert(page, `deployment-${id}`));
  }
  // The texts are shown as written (here: the script tag, the long ref, the right-to-left override).
  await page.goto(`/custom/acme/hostile/deployments/4001?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByTestId('status').first()).toContainText(SCRIPT);
  await expect(page.getByTestId('payload')).toContainText("javascript:window.__pwned='href'");
  await page.goto(`/custom/acme/hostile/deployments/4003?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByTestId('deployment-page')).toContainText('invoice⟨U+202E⟩gpj.exe⟨U+202C⟩');
  await expect(page.getByTestId('deployment-page')).toContainText('prod⟨U+200B⟩uction');
  // A deeply nested payload is shown, not refused.
  await page.goto(`/custom/acme/hostile/deployments/4004?api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByTestId('payload')).toContainText('"bottom"');
  expect(found).toEqual([]);
});

test('Create and Cleanup over hostile data: environment names offered as text, the plan, the run and the empty environments inert, the reports escaped', async ({ page }) => {
  test.setTimeout(60_000);
  const found = [];
  await connect(page);
  await nav(page, 'Create').click();
  await expect(page.getByTestId('deployment-form')).toBeVisible();
  found.push(...await inert(page, 'create'));
  // What will ship: going back to the commit before takes away one whose message and author are hostile.
  await page.getByLabel('Ref', { exact: true }).fill(OLDER_SHA);
  await page.getByLabel('Environment', { exact: true }).first().fill('staging');
  await page.getByLabel('Environment', { exact: true }).first().press('Tab');
  const leaving = page.getByTestId('create-ship').getByTestId('ship-commits').getByRole('listitem');
  await expect(leaving).toHaveCount(1);
  await expect(leaving).toContainText(`${SCRIPT}${IMG} invoice⟨U+202E⟩gpj.exe⟨U+202C⟩`);
  await expect(leaving).toContainText(`${SVG} prod⟨U+200B⟩uction`);
  found.push(...await inert(page, 'create-what-will-ship'));

  await nav(page, 'Cleanup').click();
  const cleanup = new CleanupPage(page);
  cleanup.repo = 'acme/hostile';
  await cleanup.expectReady();
  await cleanup.selectAll();
  await expect(page.getByTestId('cleanup-view')).toContainText(IMG);
  await cleanup.show.selectOption('all');
  found.push(...await inert(page, 'cleanup-plan'));
  await page.getByLabel('Also delete what is live in production').check().catch(() => undefined);
  await cleanup.run();
  await cleanup.expectFinished();
  found.push(...await inert(page, 'cleanup-report'));
  // The environments left empty (hostile names among them), listed and in the confirmation's sentence.
  await page.getByTestId('find-empty-environments').click();
  await expect(page.getByTestId('empty-environments-found')).toHaveText(/environments? with no deployment left/);
  await page.getByTestId('environments-tick-all').click();
  await page.getByTestId('environments-review').click();
  await expect(page.getByTestId('environments-confirmation')).toContainText(IMG);
  found.push(...await inert(page, 'empty-environments'));
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  const text = await (await import('node:fs/promises')).readFile(await csv.path(), 'utf8');
  // No field of the CSV report starts like a spreadsheet formula (it is defused with a leading '), and the
  // data is all there, quoted where it must be.
  const fields = csvRows(text).flat();
  expect(fields.filter((f) => /^[=+\-@\t\r]/.test(f))).toEqual([]);
  expect(fields).toContain(`'${FORMULA}`);
  expect(fields).toContain(LONG);
  expect(fields).toContain(`${SCRIPT}${IMG}`);
  const left = (await api('/repos/acme/hostile/deployments?per_page=100', HOSTILE_TOKEN)).body.length;
  expect(left).toBeLessThan(4);
  expect(found).toEqual([]);
});

test('Reviews over hostile workflow names, titles, branches, environments and comments: inert text', async ({ page }) => {
  await seed(HOSTILE_REVIEWS_SEED);
  const found = [];
  await connect(page);
  await nav(page, 'Reviews').click();
  const card = page.getByTestId('run-card');
  await expect(card.getByTestId('approve')).toBeVisible();
  await expect(card).toContainText(SCRIPT);
  await expect(card.getByRole('heading', { level: 2 })).toContainText('invoice⟨U+202E⟩gpj.exe⟨U+202C⟩');
  found.push(...await inert(page, 'reviews'));
  await card.getByLabel('Comment').fill(`${FORMULA} ${SCRIPT}`);
  await card.getByTestId('approve').click();
  await expect(page.getByTestId('review-result')).toContainText('Approved');
  const past = await api('/repos/acme/hostile/actions/runs/990001/approvals', HOSTILE_TOKEN);
  expect(past.body[0].comment).toBe(`${FORMULA} ${SCRIPT}`);
  found.push(...await inert(page, 'reviews-decided'));
  expect(found).toEqual([]);
});

test('the review inbox over hostile workflow names, titles, branches, environments and comments: inert text', async ({ page }) => {
  await seed(HOSTILE_REVIEWS_SEED);
  const found = [];
  await connect(page);
  await page.goto(`/custom/_reviews?repos=acme/hostile&api=${encodeURIComponent(FAKE)}`);
  const group = page.getByTestId('commit-group');
  await expect(group.getByTestId('group-approve')).toBeVisible();
  await expect(group).toContainText(SCRIPT);
  await expect(group.getByRole('heading', { level: 2 })).toContainText('invoice⟨U+202E⟩gpj.exe⟨U+202C⟩');
  found.push(...await inert(page, 'inbox'));
  await group.getByLabel(/^Comment/).fill(`${FORMULA} ${SCRIPT}`);
  await group.getByTestId('group-approve').click();
  await group.getByTestId('group-confirm-go').click();
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 1 approved.');
  const past = await api('/repos/acme/hostile/actions/runs/990001/approvals', HOSTILE_TOKEN);
  expect(past.body[0].comment).toBe(`${FORMULA} ${SCRIPT}`);
  found.push(...await inert(page, 'inbox-decided'));
  expect(found).toEqual([]);
});

test('Fleet over hostile environment names, refs and a crafted address: inert text', async ({ page }) => {
  const found = [];
  await connect(page);
  await page.getByTestId('pin-toggle').click();
  await page.getByTestId('fleet-link').click();
  await expect(page.getByTestId('fleet-matrix')).toBeVisible();
  await expect(page.getByTestId('cell').first()).toBeVisible();
  found.push(...await inert(page, 'fleet'));
  // A crafted list in the address: only repositories are taken from it, and nothing of it runs.
  await page.goto(`/custom/_fleet?repos=${encodeURIComponent(`${SCRIPT},acme/hostile,${IMG}`)}&api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByTestId('fleet-row')).toHaveCount(1);
  await expect(page.getByTestId('carried')).toHaveCount(0);
  found.push(...await inert(page, 'fleet-crafted'));
  expect(found).toEqual([]);
});
