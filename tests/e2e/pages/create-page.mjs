// Page object: the Create view (a deployment form and a repository-dispatch form) and a deployment's page.
import { expect } from '@playwright/test';
import { ConnectPage } from './connect-page.mjs';
import { FAKE } from '../playwright.config.mjs';

export class CreatePage {
  constructor(page) {
    this.page = page;
    this.form = page.getByTestId('deployment-form');
    this.ref = page.getByLabel('Ref', { exact: true });
    this.environment = page.getByLabel('Environment', { exact: true }).first();
    this.task = page.getByLabel('Task', { exact: true });
    this.description = this.form.getByLabel('Description', { exact: true });
    this.payload = this.form.getByRole('textbox', { name: 'Payload' });
    this.create = page.getByTestId('create-deployment');
    this.result = page.getByTestId('create-result');
    this.dispatchForm = page.getByTestId('dispatch-form');
    this.eventType = page.getByLabel('Event type');
    this.clientPayload = page.getByLabel(/Client payload/);
    this.sendDispatch = page.getByTestId('send-dispatch');
    this.dispatchResult = page.getByTestId('dispatch-result');
  }

  /// Connects with `token` to `repo` on the e2e fake and opens the Create view.
  async open(repo, token) {
    const connect = new ConnectPage(this.page);
    await connect.open();
    await connect.connect({ base: FAKE, token, repo });
    await expect(this.page.getByTestId('overview')).toBeVisible();
    await this.page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: 'Create' }).click();
    await expect(this.form).toBeVisible();
  }

  async fill({ ref, environment, description, payload }) {
    if (ref !== undefined) await this.ref.fill(ref);
    if (environment !== undefined) await this.environment.fill(environment);
    if (description !== undefined) await this.description.fill(description);
    if (payload !== undefined) await this.payload.fill(payload);
  }

  /// The problems shown under a field (the element its aria-describedby names for errors).
  fieldError(id) {
    return this.page.locator(`#${id}-error`);
  }
}

export class DeploymentPage {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('deployment-page');
    this.statuses = page.getByTestId('status');
    this.noStatus = page.getByTestId('no-status');
    this.form = page.getByTestId('status-form');
    this.description = this.form.getByLabel('Description', { exact: true });
    this.environment = this.form.getByLabel('Environment', { exact: true });
    this.preview = page.getByTestId('auto-inactive-preview');
    this.post = page.getByTestId('post-status');
  }

  async expectOpen(id, environment) {
    await expect(this.page).toHaveURL(new RegExp(`/deployments/${id}\\?api=`));
    await expect(this.page.getByRole('heading', { level: 1, name: `Deployment ${id} to ${environment}` })).toBeVisible();
  }

  idFromUrl() {
    return Number(new URL(this.page.url()).pathname.match(/\/deployments\/(\d+)$/)[1]);
  }

  async chooseState(label) {
    await this.form.getByRole('radio', { name: label, exact: true }).check();
  }
}
