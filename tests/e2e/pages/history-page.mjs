// Page object: the History view.
import { expect } from '@playwright/test';
import { ConnectPage } from './connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';

export class HistoryPage {
  constructor(page) {
    this.page = page;
    this.view = page.getByTestId('history-view');
    this.count = page.getByTestId('history-count');
    this.rows = page.getByTestId('history-row');
    this.scroller = page.locator('.history-scroll');
    this.environment = page.getByLabel('Environment', { exact: true });
    this.creator = page.getByLabel('Creator');
    this.state = page.getByLabel('Latest state');
    this.apply = page.getByTestId('apply-filters');
    this.environments = page.getByTestId('environment-row');
    this.chart = page.getByTestId('chart');
  }

  /// Connects with `token` (kept for this tab) and opens the History view of `repo`.
  /// `beforeHistory` runs on the overview, just before the History view opens.
  async open(repo, token, beforeHistory = async () => {}, keep = 'tab') {
    const connect = new ConnectPage(this.page);
    await connect.open();
    await connect.connect({ base: FAKE, token, repo, keep });
    await expect(this.page.getByTestId('recent-deployments')).toBeVisible();
    await beforeHistory();
    await this.page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'History' }).click();
    await expect(this.view).toBeVisible();
  }

  async expectAllLoaded(count, options = {}) {
    await expect(this.count).toHaveText(new RegExp(`^${count} of ${count} deployments shown\\.$`), options);
  }

  /// The ids of the rows in the DOM, in order.
  async ids() {
    return (await this.rows.locator('td:first-child').allTextContents()).map(Number);
  }
}
