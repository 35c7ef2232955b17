// One tab runs a kept run (Web Locks): a second tab on the same repository's Cleanup follows it live, its
// Pause and Resume reach the running tab, and when that tab closes the second takes over — every deployment
// deleted exactly once. Without Web Locks, the panel says each tab would send, and the run works as before.
import { test, expect, capture } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { requests, TIDY, SHOP_TOKEN, writes, idOf, seedEachTest } from '../support/fake.mjs';

seedEachTest(test, TIDY.seed);

const PLANNED = TIDY.deployments.map((d) => d.id).filter((id) => id !== TIDY.liveProduction);
const done = (text) => Number(text.match(/^(\d+) of 16 done/)?.[1] ?? -1);

/// The deployments a tab asked the fake to delete, as that tab's own requests say.
function deletesSentBy(tab) {
  const ids = [];
  tab.on('request', (r) => { if (r.method() === 'DELETE' && r.url().startsWith(FAKE)) ids.push(idOf(new URL(r.url()).pathname)); });
  return ids;
}

/// Checks that `log`'s writes went one at a time, each at least `spacing` ms (less a little for the clocks)
/// after the answer before it: the pause the user chose, whichever tab sent them.
function expectPaced(log, spacing, what) {
  const sent = [...log].sort((a, b) => a.started_ms - b.started_ms);
  for (let i = 1; i < sent.length; i += 1) {
    expect(sent[i].started_ms - sent[i - 1].ended_ms, `${what}: write ${i + 1} after the answer to ${i}`).toBeGreaterThanOrEqual(spacing - 50);
  }
}

test('two tabs on one kept run: exactly one sends, Pause and Resume from the other reach it, and closing it hands the run over', async ({ page }) => {
  const first = new CleanupPage(page);
  const sentByFirst = deletesSentBy(page);
  await first.startPacedRun('acme/tidy', SHOP_TOKEN, { spacing: 400 });
  await expect(first.summary).toHaveText(/^[1-9]\d* of 16 done/, { timeout: 15_000 });
  await expect(page.getByTestId('run-tab'), 'the tab that runs it says nothing of tabs').toHaveCount(0);

  // A second tab of the same browser, connected on its own (the token is kept for each tab).
  const tab = await page.context().newPage();
  const captured = await capture(tab, { apiOrigins: [new URL(FAKE).origin], tokenOnDevice: false });
  const second = new CleanupPage(tab);
  const sentBySecond = deletesSentBy(tab);
  await second.visit('acme/tidy', SHOP_TOKEN);
  await expect(tab.getByTestId('run-tab')).toHaveText(/running in another tab of this browser/);
  await expect(tab.getByTestId('run-indicator')).toHaveText(/^Cleanup \d+\/16$/);
  await expect(tab.getByTestId('run-eta'), 'the pace is the running tab\'s: no guess here').toHaveText('');
  // Live: its progress follows the running tab's.
  const seen = done(await second.summary.textContent());
  await expect.poll(async () => done(await second.summary.textContent()), { timeout: 10_000 }).toBeGreaterThan(seen);
  expect(await seriousViolations(tab), 'the following tab').toEqual([]);

  // Pause from the second tab: the running tab pauses, and nothing more is sent by either.
  await tab.getByTestId('run-pause').click();
  await expect(first.heading).toHaveText('Cleanup paused');
  await expect(second.heading).toHaveText('Cleanup paused');
  await expect(page.getByTestId('run-items')).toHaveCount(0);
  const paused = writes(await requests()).length;
  await tab.waitForTimeout(800);
  expect(writes(await requests()).length, 'nothing sent while paused').toBe(paused);
  expect(paused, 'paused midway').toBeLessThan(17);

  // Resume from the second tab: the first runs again; the second still only follows.
  await tab.getByTestId('run-resume').click();
  await expect(first.heading).toHaveText('Cleaning up…');
  await expect.poll(async () => writes(await requests()).length, { timeout: 10_000 }).toBeGreaterThan(paused + 1);
  await expect(tab.getByTestId('run-tab')).toHaveText(/running in another tab/);

  // The running tab closes mid-run: the second takes over where it stopped and finishes.
  const before = writes(await requests()).length;
  expect(before, 'still running when the first tab closes').toBeLessThan(17);
  expect(sentBySecond, 'the following tab sent nothing while the first ran').toEqual([]);
  await page.close({ runBeforeUnload: false });
  await expect(tab.getByTestId('run-tab')).toHaveCount(0);
  await second.expectFinished();
  await expect(second.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');

  // Each planned deployment deleted exactly once (a DELETE whose answer was lost with the closed tab may be
  // sent again: it answers 404, already gone); nothing else touched.
  const log = writes(await requests());
  for (const id of PLANNED) {
    expect(log.filter((r) => r.method === 'DELETE' && idOf(r.path) === id && r.status === 204), `${id} deleted once`).toHaveLength(1);
  }
  expect(log.filter((r) => r.status === 404).length, 'at most the one step in flight is sent again').toBeLessThanOrEqual(1);
  expect(log.filter((r) => idOf(r.path) === TIDY.liveProduction)).toEqual([]);
  // Before the first tab closed, no request was sent twice: one tab sent.
  const whileBoth = log.slice(0, before).filter((r) => r.method === 'DELETE').map((r) => idOf(r.path));
  expect(new Set(whileBoth).size, 'no deployment deleted by both tabs').toBe(whileBoth.length);
  expect(sentBySecond.length, 'the second tab sent the rest').toBeGreaterThan(0);
  expect(sentByFirst.length + sentBySecond.length).toBe(log.filter((r) => r.method === 'DELETE').length);
  // The tab that took over kept the pace the run was started with (its own connection has none set); the
  // write the first tab may have had in flight as it closed is left out.
  expectPaced(log.slice(before + 1), 400, 'after the hand-over');

  const { problems, leaks } = await captured.finish();
  expect(problems, 'CSP violations or page errors in the second tab').toEqual([]);
  expect(leaks, 'the token outside the Authorization header to the chosen API').toEqual([]);
});

test('a tab whose Cleanup shows the plan when another tab starts a run follows that run: its code loads then, not with the plan', async ({ page }) => {
  // The second tab first, on the plan: it carries none of the run's code until a run exists (issue 30).
  const tab = await page.context().newPage();
  const modules = [];
  // A screen's module comes alone (split_NAME) or with its chunks (pack_NAME).
  tab.on('request', (r) => { const m = r.url().match(/\/(?:split|pack)_([a-z_]+)\.wasm$/); if (m) modules.push(`split_${m[1]}`); });
  const second = new CleanupPage(tab);
  await second.open('acme/tidy', SHOP_TOKEN);
  expect(modules, 'the plan alone').not.toContain('split_cleanup_run');

  const first = new CleanupPage(page);
  const [sentByFirst, sentBySecond] = [deletesSentBy(page), deletesSentBy(tab)];
  await first.startPacedRun('acme/tidy', SHOP_TOKEN, { spacing: 400 });
  // The run kept on this device reaches the second tab, which now shows it and follows the running tab.
  await expect(tab.getByTestId('cleanup-run')).toBeVisible();
  await expect(tab.getByTestId('run-tab')).toHaveText(/running in another tab of this browser/);
  expect(modules).toContain('split_cleanup_run');
  const seen = done(await second.summary.textContent());
  await expect.poll(async () => done(await second.summary.textContent()), { timeout: 10_000 }).toBeGreaterThan(seen);
  await first.expectFinished();
  await expect(second.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  const log = writes(await requests());
  const deletes = log.filter((r) => r.method === 'DELETE').map((r) => idOf(r.path));
  expect(new Set(deletes).size, 'one tab sent: no deployment deleted twice').toBe(deletes.length);
  // The tab that started the run sent it, at its pace; the one that learnt of it only followed.
  expect(sentBySecond, 'the following tab sent nothing').toEqual([]);
  expect([...new Set(sentByFirst)].sort((a, b) => a - b), 'the starting tab sent every delete').toEqual([...PLANNED].sort((a, b) => a - b));
  expectPaced(log, 400, 'the run');
});

test('without Web Locks the panel says each tab would send, and the run goes on as before', async ({ page }) => {
  await page.addInitScript(() => {
    delete Navigator.prototype.locks;
  });
  const cleanup = new CleanupPage(page);
  await cleanup.startPacedRun('acme/tidy', SHOP_TOKEN, { spacing: 300 });
  await expect(page.getByTestId('run-tab')).toHaveText(/cannot tell its tabs apart \(it has no Web Locks\): keep this cleanup open in one tab only/);
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  expect(await seriousViolations(page)).toEqual([]);
});
