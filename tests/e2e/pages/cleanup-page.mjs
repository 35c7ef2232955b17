// Page object: the Cleanup view.
import { expect } from '@playwright/test';
import { ConnectPage } from './connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';
import { latency, clearRequests } from '../support/fake.mjs';

export class CleanupPage {
  constructor(page) {
    this.page = page;
    this.view = page.getByTestId('cleanup-view');
    this.count = page.getByTestId('plan-count');
    this.rows = page.getByTestId('plan-row');
    this.show = page.getByTestId('plan-show');
    this.review = page.getByTestId('review-run');
    this.start = page.getByTestId('start-run');
    this.backup = page.getByTestId('backup');
    this.summary = page.getByTestId('run-summary');
    this.heading = page.getByTestId('run-heading');
  }

  /// Connects with `token` (kept for this tab) and opens the Cleanup view of `repo`, its plan ready.
  async open(repo, token) {
    await this.visit(repo, token);
    await this.expectReady();
  }

  /// Connects with `token` and opens the Cleanup view of `repo`, without waiting for its plan (a question or
  /// a notice may come first). `beforeCleanup` runs on the overview, just before.
  async visit(repo, token, beforeCleanup = async () => {}) {
    this.repo = repo;
    const connect = new ConnectPage(this.page);
    await connect.open();
    await connect.connect({ base: FAKE, token, repo });
    await expect(this.page.getByTestId('recent-deployments')).toBeVisible();
    await beforeCleanup();
    await this.page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Cleanup' }).click();
    await expect(this.view).toBeVisible();
  }

  /// Widens the selection from its safe default (latest state inactive) to every state, and lets the plan
  /// delete what is live outside production: what the run specs clean up.
  async selectAll() {
    await this.page.getByRole('checkbox', { name: 'Inactive', exact: true }).uncheck();
    await this.page.getByTestId('allow-live').check();
    await expect(this.count).toHaveText(/will be deleted/);
  }

  async expectReady() {
    await expect(this.count).toHaveText(/will be deleted/, { timeout: 15_000 });
  }

  row(id) {
    return this.page.locator(`[data-testid=plan-row][data-id="${id}"]`);
  }

  /// The ids of the rows listed, in order.
  async ids() {
    return (await this.rows.evaluateAll((rows) => rows.map((r) => Number(r.dataset.id))));
  }

  /// Reviews the plan and starts the run (typing the repository's name when the plan deletes what runs now).
  async run() {
    await this.review.click();
    await this.confirmLive();
    await this.start.click();
    await expect(this.page.getByTestId('cleanup-run')).toBeVisible();
  }

  /// Types the repository's name where the confirmation asks for it (once the confirmation is there: its code
  /// loads when the plan is first reviewed).
  async confirmLive() {
    await expect(this.page.getByTestId('confirm')).toBeVisible();
    const typed = this.page.getByTestId('confirm-repository');
    if (await typed.isVisible()) await typed.fill(this.repo);
  }

  /// Opens `repo`'s Cleanup, selects everything but production's live deployment and starts the run with
  /// 250 ms of latency a request (so it can be caught midway), the fake's request log cleared just before.
  async startSlowRun(repo, token) {
    await this.open(repo, token);
    await this.selectAll();
    await latency(250);
    await clearRequests();
    await this.run();
  }

  /// Opens `repo`'s Cleanup, selects everything but production's live deployment and starts the run one
  /// write at a time, `spacing` ms apart (the pause typed on the confirmation), with `ms` of latency a
  /// request: a run of several seconds. The fake's request log is cleared just before.
  async startPacedRun(repo, token, { spacing, ms = 100 }) {
    await this.open(repo, token);
    await this.selectAll();
    await latency(ms);
    await clearRequests();
    await this.review.click();
    await this.page.getByLabel('Pause between changes (ms, 0 for none)').fill(String(spacing));
    await this.confirmLive();
    await this.start.click();
    await expect(this.page.getByTestId('cleanup-run')).toBeVisible();
  }

  /// Once a few of a 16-item run are done (a latency set by the caller keeps it going), pauses it and waits
  /// until nothing is in flight.
  async pauseMidway() {
    await expect(this.summary).toHaveText(/^[3-9] of 16 done/, { timeout: 15_000 });
    await this.page.getByTestId('run-pause').click();
    await expect(this.heading).toHaveText('Cleanup paused');
    await expect(this.page.getByTestId('run-items')).toHaveCount(0);
  }

  async expectFinished() {
    await expect(this.heading).toHaveText('Cleanup finished', { timeout: 20_000 });
  }

  /// The run as this device keeps it (localStorage).
  async savedRun() {
    return this.page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('deploydeck.cleanup-run:'));
      return key ? JSON.parse(localStorage.getItem(key)) : null;
    });
  }
}
