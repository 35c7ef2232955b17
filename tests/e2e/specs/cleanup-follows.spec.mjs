// A cleanup run belongs to the app, not to the Cleanup view: it keeps going at its pace while the overview,
// History and another repository of the same host are open, the header says how it goes and leads back to
// it, and the lists leave out what it has deleted.
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { ConnectPage } from '../pages/connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { seriousViolations } from '../support/axe.mjs';
import { requests, TIDY, SHOP_TOKEN, writes, idOf, seedEachTest } from '../support/fake.mjs';

/// The pause typed on the confirmation (a custom host is paced only by it): one write at a time, this far apart.
const SPACING = 400;
/// What the browser, the fake and a busy machine may add to the pause between one answer and the next write.
const SLACK = 900;

const OTHER = {
  owner: 'acme', name: 'other', collaborators: { mona: 'write' },
  branches: [{ name: 'main', sha: '2222222222222222222222222222222222222222' }],
  deployments: [{
    id: 4001, ref: 'main', sha: '2222222222222222222222222222222222222222', environment: 'staging',
    creator: 'mona', created_at: '2026-09-01T00:00:00Z', statuses: [{ state: 'success', created_at: '2026-09-01T00:01:00Z' }],
  }],
};

seedEachTest(test, { ...TIDY.seed, repositories: [...TIDY.seed.repositories, OTHER] });

const deleted = (log) => log.filter((r) => r.method === 'DELETE' && r.status === 204).map((r) => idOf(r.path));
/// Waits until the run has sent `more` writes beyond the `since` it had.
const sendsMore = async (since, more) => {
  await expect.poll(async () => writes(await requests()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(since + more);
  return writes(await requests()).length;
};

test('a run goes on at its pace while the overview, History and another repository are open; the header leads back to it', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  const indicator = page.getByTestId('run-indicator');
  const views = page.getByRole('navigation', { name: 'Repository views' });
  await cleanup.startPacedRun('acme/tidy', SHOP_TOKEN, { spacing: SPACING });
  await expect(indicator).toHaveText(/^Cleanup \d+\/16$/);
  await expect(indicator).toHaveAttribute('title', /^Cleanup of acme\/tidy: \d+ of 16 done\. Open the run\.$/);

  // The overview, opened while the run goes: a listed deployment the run then deletes leaves its table.
  await views.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByTestId('recent-deployments')).toBeVisible();
  const listed = await page.getByTestId('deployment-row').evaluateAll((rows) => rows.map((r) => Number(r.querySelector('a').textContent)));
  let sent = writes(await requests()).length;
  sent = await sendsMore(sent, 2);
  const goneSince = deleted(await requests()).filter((id) => listed.includes(id));
  expect(goneSince.length, 'the run deleted some of what the overview lists').toBeGreaterThan(0);
  for (const id of goneSince) {
    await expect(page.getByTestId('deployment-row').getByRole('link', { name: String(id), exact: true }), `${id} left the overview`).toHaveCount(0);
  }

  // History: the run goes on; what it deleted is not listed, and the count says so.
  await views.getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('history-count')).toHaveText(/ deleted by the cleanup run\./);
  sent = await sendsMore(sent, 3);
  await expect(indicator).toHaveText(new RegExp(`^Cleanup ([${sent >= 10 ? '1-9' : ''}]\\d|[3-9])/16$`));
  for (const id of deleted(await requests())) {
    await expect(page.getByTestId('history-row').getByRole('link', { name: String(id), exact: true }), `${id} left History`).toHaveCount(0);
  }
  expect(await seriousViolations(page), 'History with the run indicator').toEqual([]);

  // Another repository of the same host, opened through the connect form with the same token: the run goes on.
  await page.getByRole('link', { name: 'Deploydeck' }).click();
  const connect = new ConnectPage(page);
  await connect.connect({ base: FAKE, token: SHOP_TOKEN, repo: 'acme/other' });
  await expect(page.getByTestId('recent-deployments')).toBeVisible();
  await expect(page.getByTestId('where')).toContainText('acme/other');
  sent = await sendsMore(sent, 2);
  await expect(indicator).toHaveText('Cleanup done 16/16', { timeout: 20_000 });
  expect(await seriousViolations(page), 'another repository with the run indicator').toEqual([]);

  // The header leads back to the run (by keyboard), whose report then needs it no more.
  await indicator.focus();
  await page.keyboard.press('Enter');
  await cleanup.expectFinished();
  await expect(page.getByTestId('where')).toContainText('acme/tidy');
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
  await expect(indicator).toHaveCount(0);

  // Each planned deployment deleted once, one write at a time, never further apart than the pace allows.
  const log = writes(await requests()).sort((a, b) => a.started_ms - b.started_ms);
  const planned = TIDY.deployments.map((d) => d.id).filter((id) => id !== TIDY.liveProduction);
  expect(deleted(log).sort()).toEqual(planned.sort());
  expect(log.length, 'every delete and one inactive status, for 3016').toBe(17);
  const gaps = log.slice(1).map((r, i) => r.started_ms - log[i].ended_ms);
  expect(Math.min(...gaps), 'one write at a time, the pause between').toBeGreaterThanOrEqual(SPACING - 50);
  expect(Math.max(...gaps), `no gap longer than the pacing (${SPACING} ms + ${SLACK} ms)`).toBeLessThanOrEqual(SPACING + SLACK);
});

test('closing the connection stops the run where it is; the kept run continues when its Cleanup opens again', async ({ page }) => {
  const cleanup = new CleanupPage(page);
  const indicator = page.getByTestId('run-indicator');
  await cleanup.startPacedRun('acme/tidy', SHOP_TOKEN, { spacing: 300 });
  await expect(indicator).toBeVisible();
  // "Forget the token" closes the connection: nothing more is sent with it.
  await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'History' }).click();
  await page.getByTestId('forget-token').click();
  await expect(page.getByTestId('connect-form')).toBeVisible();
  await expect(indicator).toHaveCount(0);
  await page.waitForTimeout(300);
  const stopped = writes(await requests()).length;
  await page.waitForTimeout(1_000);
  expect(writes(await requests()).length, 'nothing sent once the connection is closed').toBe(stopped);
  expect(stopped, 'stopped before the end').toBeLessThan(17);

  // Connected again: the kept run continues from where it stopped when its Cleanup opens.
  await cleanup.visit('acme/tidy', SHOP_TOKEN);
  await cleanup.expectFinished();
  const log = await requests();
  for (const id of TIDY.deployments.map((d) => d.id).filter((id) => id !== TIDY.liveProduction)) {
    expect(log.filter((r) => r.method === 'DELETE' && idOf(r.path) === id && r.status === 204), `${id} deleted once`).toHaveLength(1);
  }
});
