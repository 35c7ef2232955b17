// Issue 38: the review inbox — every run waiting for a required reviewer across the pinned repositories, grouped
// by commit, and one decision over a group: confirmed with what it covers, sent one run at a time, each run's
// outcome said (approved, decided elsewhere meanwhile, refused and why, not sent).
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { seed, api, calm, requests, clearRequests, settings } from '../support/fake.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { FAKE } from '../playwright.config.mjs';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const HOTFIX = 'ffee0011223344556677889900aabbccddeeff00';
const REPOS = 'acme/web,acme/api,acme/docs';
const minutesAgo = (m) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const inboxPath = (repos = REPOS) => `/custom/_reviews?repos=${repos}&api=${encodeURIComponent(FAKE)}`;

const environments = [
  { name: 'production', reviewers: ['alice', 'bob'], prevent_self_review: true },
  { name: 'staging', reviewers: ['alice'] },
];
const repository = (name, runs) => ({
  owner: 'acme', name, collaborators: { alice: 'write', bob: 'write', carol: 'write' }, environments, runs,
});
const run = (id, workflow, sha, actor, minutes, waits_on, extra = {}) => ({
  id, workflow, title: sha === SHA ? 'Ship the new checkout' : 'Hotfix the login', ref: 'main', sha, actor,
  created_at: minutesAgo(minutes), waits_on, ...extra,
});

function inboxSeed() {
  return {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'alice' }, { login: 'bob' }, { login: 'carol' }],
    tokens: [
      { token: 't-alice', user: 'alice', scopes: ['repo'] },
      { token: 't-bob', user: 'bob', scopes: ['repo'] },
      // Fine-grained, reading Actions and deployments but not writing them: GitHub refuses its reviews.
      { token: 't-alice-read', user: 'alice', permissions: { actions: 'read', deployments: 'read', metadata: 'read' } },
    ],
    repositories: [
      repository('web', [
        run(41001, 'Deploy', SHA, 'carol', 3, ['production'], { pull_request: 7 }),
        run(41002, 'Assets', SHA, 'carol', 2, ['production'], { pull_request: 7 }),
      ]),
      repository('api', [
        run(42001, 'Deploy', SHA, 'carol', 4, ['production', 'staging']),
        run(42002, 'Deploy', HOTFIX, 'carol', 10, ['staging']),
      ]),
      // alice started this one, and production prevents self-review.
      repository('docs', [run(43001, 'Deploy', SHA, 'alice', 1, ['production'])]),
    ],
  };
}

test.beforeEach(async () => {
  await calm();
  await seed(inboxSeed());
});

async function openInbox(page, token = 't-alice', repos = REPOS) {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token, repo: 'acme/web' });
  await expect(page.getByTestId('overview')).toBeVisible();
  await page.goto(inboxPath(repos));
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews waiting' })).toBeVisible();
}

const group = (page, sha) => page.locator(`[data-testid="commit-group"][data-sha="${sha}"]`);
const runLine = (page, id) => page.locator(`[data-testid="group-run"][data-run="${id}"]`);
const outcome = (page, id) => page.locator(`[data-testid="group-outcome"][data-run="${id}"]`);

/// "Approve all…" on a commit's group, then its confirmation.
async function approveAll(page, sha) {
  await group(page, sha).getByTestId('group-approve').click();
  await group(page, sha).getByTestId('group-confirm-go').click();
}

test('every waiting run of the pinned repositories, grouped by commit, the longest waiting first, with who may decide what', async ({ page }) => {
  await openInbox(page);
  await expect(page.getByTestId('inbox-count')).toHaveText('5 runs wait for 2 commits.');
  const groups = page.getByTestId('commit-group');
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0)).toHaveAttribute('data-sha', HOTFIX);
  const checkout = group(page, SHA);
  await expect(checkout.getByRole('heading', { level: 2 })).toHaveText('Ship the new checkout');
  await expect(checkout.getByTestId('group-facts')).toContainText('a1b2c3d · pull request #7 · 4 runs waiting · 3 repositories · waiting since');
  await expect(checkout.getByTestId('group-run').locator('strong')).toHaveText([
    'acme/api · Deploy #1', 'acme/docs · Deploy #1', 'acme/web · Assets #2', 'acme/web · Deploy #1',
  ]);
  await expect(runLine(page, 42001).getByTestId('verdict')).toHaveText(['you may review it', 'you may review it']);
  await expect(runLine(page, 43001).getByTestId('verdict')).toHaveText('You started this run, and this environment prevents self-review: another reviewer must approve it.');
  // One run alone is decided on its repository's Reviews view.
  await runLine(page, 43001).getByTestId('decide-alone').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  await expect(page).toHaveURL(/\/custom\/acme\/docs\/reviews/);
  await page.goBack();
  await expect(page.getByTestId('inbox-count')).toHaveText('5 runs wait for 2 commits.');
  // The fleet's screens link to each other.
  await page.getByRole('navigation', { name: 'Fleet views' }).getByRole('link', { name: 'Environments now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Fleet views' }).getByRole('link', { name: 'Reviews waiting' }).click();
  await expect(page.getByTestId('inbox-count')).toHaveText('5 runs wait for 2 commits.');
});

test('approve a commit\'s runs on production at once, one decided elsewhere meanwhile: each outcome said, the comment on each run', async ({ page }) => {
  await openInbox(page);
  await clearRequests();
  const checkout = group(page, SHA);
  await checkout.getByLabel('Environments').selectOption('production');
  await checkout.getByLabel(/^Comment/).fill('Ship a1b2c3d');
  await checkout.getByTestId('group-approve').click();
  const confirm = checkout.getByTestId('group-confirm');
  await expect(confirm).toContainText('Approve 3 runs for a1b2c3d → production?');
  await expect(confirm.getByTestId('confirm-items').locator('li')).toHaveText([
    'acme/api · Deploy #1 → production', 'acme/web · Assets #2 → production', 'acme/web · Deploy #1 → production',
  ]);
  await expect(confirm.getByTestId('confirm-left')).toContainText('acme/docs · Deploy #1: You started this run');
  // Nothing is sent before the confirmation.
  expect((await requests()).filter((r) => r.method === 'POST' && r.path.includes('pending_deployments'))).toEqual([]);
  // Meanwhile bob approves the Assets run on GitHub.
  const elsewhere = await api('/repos/acme/web/actions/runs/41002/pending_deployments', 't-bob');
  await api('/repos/acme/web/actions/runs/41002/pending_deployments', 't-bob', {
    method: 'POST',
    body: JSON.stringify({ environment_ids: [elsewhere.body[0].environment.id], state: 'approved', comment: 'bob was quicker' }),
  });
  await clearRequests();
  await confirm.getByTestId('group-confirm-go').click();
  const panel = page.getByTestId('group-decision');
  await expect(panel.getByTestId('group-progress')).toHaveText('Done: 2 approved · 1 already decided elsewhere.');
  // All three in one GraphQL request (one write, not three a second apart on github.com), after asking whether
  // GraphQL answers here (nothing in this page had asked it yet).
  const sent = (await requests()).filter((r) => r.method === 'POST');
  expect(sent.map((r) => r.path)).toEqual(['/graphql', '/graphql']);
  await expect(outcome(page, 42001)).toHaveAttribute('data-outcome', 'approved');
  await expect(outcome(page, 41002)).toHaveAttribute('data-outcome', 'already decided elsewhere');
  await expect(outcome(page, 41002)).toContainText('no longer waits on it');
  await expect(outcome(page, 41001)).toHaveAttribute('data-outcome', 'approved');
  // GitHub has each review, with the comment; the docs run was left alone.
  for (const [repo, id] of [['api', 42001], ['web', 41001]]) {
    const past = await api(`/repos/acme/${repo}/actions/runs/${id}/approvals`, 't-alice');
    expect(past.body.map((a) => [a.user.login, a.state, a.comment])).toEqual([['alice', 'approved', 'Ship a1b2c3d']]);
  }
  expect((await api('/repos/acme/docs/actions/runs/43001/approvals', 't-alice')).body).toEqual([]);
  // The inbox is read again: the api run still waits on staging, the docs run on another reviewer.
  await expect(page.getByTestId('inbox-count')).toHaveText('3 runs wait for 2 commits.');
  await expect(panel).toBeVisible();
});

test('a read of the inbox keeps what was typed and chosen on a card, and makes its open confirmation again from what GitHub says now', async ({ page }) => {
  await openInbox(page);
  const checkout = group(page, SHA);
  await checkout.getByLabel('Environments').selectOption('production');
  await checkout.getByLabel(/^Comment/).fill('Kept across reads');
  await checkout.getByTestId('group-approve').click();
  await expect(checkout.getByTestId('group-confirm')).toContainText('Approve 3 runs for a1b2c3d → production?');
  // Meanwhile bob approves the Assets run on GitHub; then the inbox is read again (as it is every minute).
  const pending = await api('/repos/acme/web/actions/runs/41002/pending_deployments', 't-bob');
  await api('/repos/acme/web/actions/runs/41002/pending_deployments', 't-bob', {
    method: 'POST', body: JSON.stringify({ environment_ids: [pending.body[0].environment.id], state: 'approved', comment: '' }),
  });
  await page.getByTestId('inbox-refresh').click();
  await expect(page.getByTestId('inbox-count')).toHaveText('4 runs wait for 2 commits.');
  await expect(checkout.getByLabel(/^Comment/)).toHaveValue('Kept across reads');
  await expect(checkout.getByLabel('Environments')).toHaveValue('production');
  await expect(checkout.getByTestId('group-confirm')).toContainText('Approve 2 runs for a1b2c3d → production?');
  await checkout.getByTestId('group-confirm-go').click();
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 2 approved.');
  const past = await api('/repos/acme/web/actions/runs/41001/approvals', 't-alice');
  expect(past.body.map((a) => a.comment)).toEqual(['Kept across reads']);
  // Once decided, the card's draft is gone: a comment is never sent twice by mistake.
  await expect(page.getByTestId('inbox-count')).toHaveText('3 runs wait for 2 commits.');
  await expect(checkout.getByLabel(/^Comment/)).toHaveValue('');
});

test('GitHub\'s poll interval paces the reads; none comes while a card\'s comment is being typed', async ({ page }) => {
  await settings({ poll_interval_s: 1 });
  await openInbox(page);
  const lists = async () => (await requests()).filter((r) => r.path.endsWith('/actions/runs')).length;
  await clearRequests();
  // Every second (three repositories: three lists a read), as GitHub asked, not every minute.
  await expect.poll(lists, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
  await group(page, SHA).getByLabel(/^Comment/).focus();
  await page.keyboard.type('Still typing');
  await clearRequests();
  await page.waitForTimeout(3_000);
  expect(await lists(), 'no read while typing').toBe(0);
  await page.keyboard.press('Tab');
  await expect.poll(lists, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  await expect(group(page, SHA).getByLabel(/^Comment/)).toHaveValue('Still typing');
});

test('reject every environment of a commit: the confirmation says what a rejection does, and the runs end', async ({ page }) => {
  await openInbox(page);
  const hotfix = group(page, HOTFIX);
  await hotfix.getByTestId('group-reject').click();
  await expect(hotfix.getByTestId('group-confirm')).toContainText('Reject 1 run for ffee001 → staging? Each job fails and its run ends.');
  await hotfix.getByTestId('group-confirm-go').click();
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 1 rejected.');
  const ended = await api('/repos/acme/api/actions/runs/42002', 't-alice');
  expect([ended.body.status, ended.body.conclusion]).toEqual(['completed', 'failure']);
  await expect(page.getByTestId('inbox-count')).toHaveText('4 runs wait for 1 commit.');
  // Cancel sends nothing.
  await clearRequests();
  await group(page, SHA).getByTestId('group-approve').click();
  await group(page, SHA).getByTestId('group-confirm-cancel').click();
  await expect(group(page, SHA).getByTestId('group-confirm')).toHaveCount(0);
  expect((await requests()).filter((r) => r.method === 'POST' && r.path.includes('pending_deployments'))).toEqual([]);
});

test('a token GitHub refuses reviews to, through GraphQL: every run refused, with why and what to add', async ({ page }) => {
  await openInbox(page, 't-alice-read');
  await clearRequests();
  await approveAll(page, SHA);
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 3 refused.');
  await expect(outcome(page, 42001)).toContainText('Resource not accessible by personal access token');
  await expect(outcome(page, 42001)).toContainText('Deployments');
  // The question whether GraphQL answers, then the one mutation.
  expect((await requests()).filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/graphql', '/graphql']);
  await expect(page.getByTestId('inbox-count')).toHaveText('5 runs wait for 2 commits.');
});

test('without GraphQL the reviews go one at a time through REST; the first refusal of the token stops the rest, said not sent', async ({ page }) => {
  await settings({ graphql: 'off' });
  await openInbox(page, 't-alice-read');
  await clearRequests();
  await approveAll(page, SHA);
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 1 refused · 2 not sent.');
  await expect(outcome(page, 42001)).toContainText('Resource not accessible by personal access token');
  await expect(outcome(page, 41002)).toContainText('The decision stopped at acme/api · Deploy #1');
  const sent = (await requests()).filter((r) => r.method === 'POST');
  expect(sent.map((r) => r.path)).toEqual(['/repos/acme/api/actions/runs/42001/pending_deployments']);
  await expect(page.getByTestId('inbox-count')).toHaveText('5 runs wait for 2 commits.');
});

for (const graphql of ['off', 'no_cors']) test(`without GraphQL (${graphql}) a group approval goes a review at a time, each outcome said`, async ({ page }) => {
  // Absent (a 404), or answering without CORS headers (the browser sees no answer): nothing was decided there.
  await settings({ graphql });
  await openInbox(page);
  await clearRequests();
  await approveAll(page, SHA);
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 3 approved.');
  const sent = (await requests()).filter((r) => r.method === 'POST').map((r) => r.path);
  expect(sent).toEqual([42001, 41002, 41001].map((id) => `/repos/acme/${id === 42001 ? 'api' : 'web'}/actions/runs/${id}/pending_deployments`));
  const past = await api('/repos/acme/api/actions/runs/42001/approvals', 't-alice');
  expect(past.body.map((a) => a.environments.map((e) => e.name).sort())).toEqual([['production', 'staging']]);
});

test('keyboard only: comment, approve, confirm, and the outcome takes the focus', async ({ page }) => {
  await openInbox(page);
  const hotfix = group(page, HOTFIX);
  await hotfix.getByLabel(/^Comment/).focus();
  await page.keyboard.type('Go');
  await page.keyboard.press('Tab');
  await expect(hotfix.getByTestId('group-approve')).toBeFocused();
  await expect(hotfix.getByTestId('group-approve')).toHaveAccessibleName('Approve the runs of commit ffee001 you may review…');
  await page.keyboard.press('Enter');
  await expect(hotfix.getByTestId('group-confirm-go')).toBeFocused();
  await expect(hotfix.getByTestId('group-confirm')).toHaveAccessibleName('Approve 1 run for ffee001 → staging?');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-progress')).toHaveText('Done: 1 approved.');
  await expect(page.getByTestId('group-decision')).toBeFocused();
  const past = await api('/repos/acme/api/actions/runs/42002/approvals', 't-alice');
  expect(past.body.map((a) => a.comment)).toEqual(['Go']);
});

test('axe-clean in both schemes at 1280 and 390 px, one column on a phone; nothing pinned says where to pin', async ({ page }) => {
  await openInbox(page);
  await group(page, SHA).getByTestId('group-approve').click();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousViolations(page), `${width} ${colorScheme}`).toEqual([]);
    }
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: 'tests/e2e/artifacts/inbox-mobile.png', fullPage: true });
  await page.goto(`/custom/_reviews?repos=&api=${encodeURIComponent(FAKE)}`);
  await expect(page.getByTestId('inbox-empty')).toContainText('Nothing pinned yet');
});
