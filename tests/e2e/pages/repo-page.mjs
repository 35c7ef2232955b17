// Page object: a repository's screens (header, navigation, overview).
import { expect } from '@playwright/test';

export class RepoPage {
  constructor(page) {
    this.page = page;
    this.overview = page.getByTestId('overview');
    this.access = page.getByTestId('access-panel');
    this.rows = page.getByTestId('deployment-row');
    this.where = page.getByTestId('where');
    this.gauge = page.getByTestId('rate-gauge');
    this.demoBadge = page.getByTestId('demo-badge');
    this.nav = page.getByRole('navigation', { name: 'Repository views' });
    this.forget = page.getByRole('button', { name: 'Forget token' });
  }

  /// The link to one of the repository's views (Overview, Create, History, Cleanup).
  view(name) {
    return this.nav.getByRole('link', { name });
  }

  async expectOverview(repo) {
    await expect(this.overview).toBeVisible();
    await expect(this.page.getByRole('heading', { level: 1, name: repo })).toBeVisible();
  }

  async screenshot(name) {
    await this.page.screenshot({ path: `tests/e2e/artifacts/${name}.png`, fullPage: true });
  }
}
