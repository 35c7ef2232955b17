// Issue 18: the Reviews view — runs waiting for a required reviewer, approved or rejected here, with a
// comment; who cannot review is told why; a run that stopped waiting meanwhile is said and the list read again.
import { test, expect } from '../fixtures.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { seed, api, calm, settings } from '../support/fake.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { FAKE } from '../playwright.config.mjs';

const minutesAgo = (m) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

function reviewSeed() {
  return {
    tokens: [
      { token: 't-alice', user: 'alice', scopes: ['repo'] },
      { token: 't-dave', user: 'dave', scopes: ['repo'] },
      { token: 't-alice-deploy', user: 'alice', scopes: ['repo_deployment'] },
    ],
    teams: [{ org: 'acme', slug: 'ops', name: 'Ops', members: ['carol'] }],
    repositories: [{
      owner: 'acme', name: 'ops',
      collaborators: { alice: 'read', bob: 'write', dave: 'read' },
      environments: [
        { name: 'production', reviewers: ['alice'], reviewer_teams: ['ops'], prevent_self_review: true },
        { name: 'staging', reviewers: ['alice', 'bob'], wait_timer: 5 },
      ],
      runs: [
        { id: 30433642, workflow: 'Deploy', title: 'Ship the new header', ref: 'main', actor: 'bob', created_at: minutesAgo(1), waits_on: ['production', 'staging'] },
        { id: 30433643, workflow: 'Deploy', title: 'Fix the footer', ref: 'main', actor: 'alice', created_at: minutesAgo(2), waits_on: ['production'] },
      ],
    }],
  };
}

test.beforeEach(async () => {
  await calm();
  await seed(reviewSeed());
});

async function openReviews(page, token) {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token, repo: 'acme/ops' });
  await expect(page.getByTestId('overview')).toBeVisible();
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  return (id) => page.locator(`[data-testid="run-card"][data-run="${id}"]`);
}

const gate = (card, name) => card.locator(`[data-testid="gate"][data-environment="${name}"]`);

test('approve one environment with a comment: GitHub takes it, the page says so and reads the list again', async ({ page }) => {
  const card = await openReviews(page, 't-alice');
  await expect(page.getByTestId('reviews-count')).toHaveText('2 runs wait for a review.');
  const run = card(30433642);
  await expect(run.getByRole('heading', { level: 2 })).toHaveText('Ship the new header');
  await expect(run).toContainText('Deploy #1 · main');
  await expect(run).toContainText('started by bob');
  await expect(gate(run, 'staging').getByTestId('timer')).toContainText(/Wait timer: .* left/);
  await expect(gate(run, 'production')).toContainText('Reviewers: alice, team Ops');
  await gate(run, 'staging').getByRole('checkbox').uncheck();
  await run.getByLabel('Comment').fill('Ship it!');
  await run.getByTestId('approve').click();
  await expect(page.getByTestId('review-result')).toContainText('Approved production for “Ship the new header”');
  const approvals = await api('/repos/acme/ops/actions/runs/30433642/approvals', 't-alice');
  expect(approvals.body.map((a) => [a.state, a.user.login, a.comment, a.environments.map((e) => e.name)]))
    .toEqual([['approved', 'alice', 'Ship it!', ['production']]]);
  // Read again: production no longer waits; staging does.
  await expect(gate(card(30433642), 'production')).toHaveCount(0);
  await expect(gate(card(30433642), 'staging')).toHaveCount(1);
  await expect(card(30433642).getByTestId('past-reviews')).toContainText('alice approved production: “Ship it!”');
  // The decided deployment's page follows its new statuses.
  await page.getByTestId('decided-deployment').click();
  await expect(page.getByTestId('deployment-page')).toBeVisible();
  await expect(page.getByTestId('status').first()).toContainText('Success');
});

test('the Reviews tab says how many runs wait', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-alice', repo: 'acme/ops' });
  const tab = page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Reviews' });
  await expect(tab).toHaveAccessibleName('Reviews 2 waiting');
  await expect(page.getByTestId('reviews-waiting')).toHaveText('2 waiting');
});

test('reject all of a run: it fails and leaves the list', async ({ page }) => {
  const card = await openReviews(page, 't-alice');
  await card(30433642).getByTestId('reject').click();
  await expect(page.getByTestId('reviews-count')).toHaveText('1 run waits for a review.');
  const run = await api('/repos/acme/ops/actions/runs/30433642', 't-alice');
  expect([run.body.status, run.body.conclusion]).toEqual(['completed', 'failure']);
});

test('approve all: every environment ticked goes; one still counting its wait timer stays, said so', async ({ page }) => {
  const card = await openReviews(page, 't-alice');
  await card(30433642).getByTestId('approve').click();
  await expect(gate(card(30433642), 'production')).toHaveCount(0);
  await expect(gate(card(30433642), 'staging').getByTestId('timer')).toContainText(/left/);
  // The production deployment of this run (the other run's, older, still waits).
  const deployments = await api('/repos/acme/ops/deployments?environment=production', 't-alice');
  const mine = deployments.body.reduce((a, b) => (a.created_at > b.created_at ? a : b));
  const statuses = await api(`/repos/acme/ops/deployments/${mine.id}/statuses`, 't-alice');
  expect(statuses.body.map((s) => s.state)).toEqual(['success', 'in_progress', 'queued']);
});

test('self-review prevented and a non-reviewer: no buttons, and the reason in words', async ({ page }) => {
  let card = await openReviews(page, 't-alice');
  await expect(gate(card(30433643), 'production').getByTestId('verdict')).toHaveText('You started this run, and this environment prevents self-review: another reviewer must approve it.');
  await expect(card(30433643).getByTestId('approve')).toHaveCount(0);
  await page.getByTestId('forget-token').click();
  card = await openReviews(page, 't-dave');
  await expect(gate(card(30433642), 'production').getByTestId('verdict')).toHaveText('You are not a required reviewer for production. Reviewers: alice, team Ops.');
  await expect(page.getByTestId('approve')).toHaveCount(0);
});

test('a token without the permission: told what to add before trying', async ({ page }) => {
  const card = await openReviews(page, 't-alice-deploy');
  await expect(gate(card(30433642), 'production').getByTestId('verdict')).toContainText('This token cannot review deployments: a classic token needs the repo scope');
  await expect(page.getByTestId('approve')).toHaveCount(0);
});

test('a run that stopped waiting between load and click: the error says so and the list is read again', async ({ page }) => {
  const card = await openReviews(page, 't-alice');
  await expect(card(30433642).getByTestId('approve')).toBeVisible();
  const production = (await api('/repos/acme/ops/environments/production', 't-alice')).body.id;
  const staging = (await api('/repos/acme/ops/environments/staging', 't-alice')).body.id;
  const elsewhere = await api('/repos/acme/ops/actions/runs/30433642/pending_deployments', 't-alice', {
    method: 'POST', body: JSON.stringify({ environment_ids: [production, staging], state: 'rejected', comment: 'from elsewhere' }),
  });
  expect(elsewhere.status).toBe(200);
  await card(30433642).getByTestId('approve').click();
  await expect(page.getByTestId('error-panel')).toContainText('There are no pending deployment requests to approve or reject');
  await expect(page.getByTestId('reviews-count')).toHaveText('1 run waits for a review.');
});

test('by keyboard only: tick, comment and approve', async ({ page }) => {
  const card = await openReviews(page, 't-alice');
  const run = card(30433642);
  await gate(run, 'staging').getByRole('checkbox').focus();
  await page.keyboard.press('Space');
  await expect(gate(run, 'staging').getByRole('checkbox')).not.toBeChecked();
  await page.keyboard.press('Tab');
  await expect(run.getByLabel('Comment')).toBeFocused();
  await page.keyboard.type('Looks good');
  await page.keyboard.press('Tab');
  await expect(run.getByTestId('approve')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('review-result')).toContainText('Approved production');
});

test('the Reviews view has no serious or critical axe violation, in both colour schemes, with a decision said', async ({ page }) => {
  const card = await openReviews(page, 't-alice');
  await expect(card(30433642).getByTestId('approve')).toBeVisible();
  await card(30433642).getByTestId('approve').click();
  await expect(page.getByTestId('review-result')).toContainText('Approved');
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction(() => document.getAnimations().length === 0);
    expect(await seriousViolations(page), colorScheme).toEqual([]);
  }
});

test('the access report says up front whether the token can review, and what reviewing needs', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-alice-deploy', repo: 'acme/ops' });
  const panel = page.getByTestId('access-panel');
  await expect(panel).toContainText('Approve or reject deployments waiting for reviewNo');
  await expect(panel).toContainText('Reviewing deployments waiting for approval needs the repo scope on a classic token.');
  await page.getByTestId('forget-token').click();
  await connect.connect({ base: FAKE, token: 't-alice', repo: 'acme/ops' });
  await expect(page.getByTestId('access-panel')).toContainText('Approve or reject deployments waiting for reviewYes');
});

test('a wait timer counts down each second; when it runs out the list is read again at once and the run goes on', async ({ page }) => {
  test.setTimeout(60_000);
  const secondsAgo = (s) => new Date(Date.now() - s * 1_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await seed({
    tokens: [{ token: 't-alice', user: 'alice', scopes: ['repo'] }],
    repositories: [{
      owner: 'acme', name: 'ops',
      collaborators: { alice: 'write' },
      // No reviewer: only the timer holds the job, and about 10 s of its minute are left.
      environments: [{ name: 'canary', wait_timer: 1 }],
      runs: [{ id: 30433650, workflow: 'Deploy', title: 'Canary', ref: 'main', actor: 'bob', created_at: secondsAgo(50), waits_on: ['canary'] }],
    }],
  });
  const opened = Date.now();
  const card = await openReviews(page, 't-alice');
  const timer = gate(card(30433650), 'canary').getByTestId('timer');
  await expect(gate(card(30433650), 'canary').getByTestId('verdict')).toHaveText('No reviewer: it goes on by itself when its wait timer runs out.');
  await expect(timer).toHaveAttribute('role', 'timer');
  const left = async () => Number((await timer.textContent()).match(/Wait timer: (\d+) s left/)?.[1] ?? NaN);
  const first = await left();
  expect(first).toBeGreaterThan(0);
  // It moves on its own, with no read of the list in between (the list is read every 30 s).
  await expect.poll(left, { timeout: 5_000 }).toBeLessThan(first);
  // At zero the list is read at once, well before the 30 s refresh: the run went on.
  await expect(page.getByTestId('no-reviews')).toBeVisible({ timeout: 20_000 });
  expect(Date.now() - opened).toBeLessThan(30_000);
  const run = await api('/repos/acme/ops/actions/runs/30433650', 't-alice');
  expect(run.body.status).not.toBe('waiting');
});

test('a waiting deployment links to Reviews from the overview, History and its own page', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-alice', repo: 'acme/ops' });
  // The overview: every row whose latest state is Waiting, and only those, offers the review.
  const rows = page.getByTestId('deployment-row');
  await expect(rows.first()).toBeVisible();
  const waiting = rows.filter({ has: page.locator('.badge', { hasText: 'Waiting' }) });
  expect(await waiting.count()).toBeGreaterThan(0);
  expect(await page.getByTestId('review-link').count()).toBe(await waiting.count());
  await expect(waiting.first().getByTestId('review-link')).toHaveAccessibleName(/^Review: deployment \d+ waits for a reviewer$/);
  await waiting.first().getByTestId('review-link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  // History.
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'History' }).click();
  const historyRow = page.getByTestId('history-row').filter({ has: page.locator('.badge', { hasText: 'Waiting' }) }).first();
  await expect(historyRow.getByTestId('review-link')).toBeVisible();
  // The deployment's own page reads REST's statuses: by default the fake shows the waiting job's status there as
  // `queued` (which REST sends is not known: docs/github-api.md §14), and a queued status says nothing of a review.
  await historyRow.locator('td:first-child a').click();
  await expect(page.getByTestId('status').first()).toContainText('Queued');
  await expect(page.getByTestId('waits-for-review')).toHaveCount(0);
  // Under the other reading REST says `waiting`, and the page links to the review.
  await settings({ waiting_in_rest: 'waiting' });
  await page.reload();
  await expect(page.getByTestId('status').first()).toContainText('Waiting');
  await expect(page.getByTestId('waits-for-review')).toHaveText('This deployment waits for a required reviewer. Review it in Reviews');
  await page.getByTestId('waits-for-review').getByRole('link').click();
  await expect(page.getByTestId('reviews-count')).toHaveText('2 runs wait for a review.');
});

test('the first read asks who is looking and what waits at once, not one after the other', async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.open();
  await connect.connect({ base: FAKE, token: 't-alice', repo: 'acme/ops' });
  await expect(page.getByTestId('overview')).toBeVisible();
  // Who is looking (GET /user) is held back: the waiting runs are asked for meanwhile.
  const seen = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(`${FAKE}/user`, async (route) => {
    if (route.request().method() === 'GET') {
      seen.push('user asked');
      await held;
    }
    await route.continue();
  });
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname === '/repos/acme/ops/actions/runs') seen.push('runs asked');
  });
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Reviews' }).click();
  await expect.poll(() => [...new Set(seen)].sort()).toEqual(['runs asked', 'user asked']);
  release();
  await expect(page.getByTestId('reviews-count')).toHaveText('2 runs wait for a review.');
});
