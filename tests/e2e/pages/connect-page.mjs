// Page object: the connect screen (also shown in place when a repository is opened without a token).
import { expect } from '@playwright/test';

export class ConnectPage {
  constructor(page) {
    this.page = page;
    this.form = page.getByTestId('connect-form');
    this.token = page.getByLabel('Personal access token');
    this.repository = page.getByLabel('Repository');
    this.customBase = page.getByLabel('API base URL');
    this.connectButton = page.getByRole('button', { name: 'Connect' });
    this.tryDemo = page.getByRole('link', { name: 'Try the demo' });
    this.error = page.getByTestId('error-panel');
  }

  async open() {
    await this.page.goto('/');
    await expect(this.form).toBeVisible();
  }

  async chooseCustomApi(base) {
    await this.page.getByLabel('Custom API address').check();
    await this.customBase.fill(base);
  }

  async keepToken(where) {
    const labels = { tab: 'This tab only', device: 'This device', memory: 'Memory only' };
    await this.page.getByLabel(labels[where]).check();
  }

  async connect({ base, token, repo, keep = 'tab' }) {
    await this.chooseCustomApi(base);
    await this.token.fill(token);
    await this.keepToken(keep);
    await this.repository.fill(repo);
    await this.connectButton.click();
  }
}
