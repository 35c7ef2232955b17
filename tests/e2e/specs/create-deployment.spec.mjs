import { spawnSync } from 'node:child_process';
import { test, expect } from '../fixtures.mjs';
import { CreatePage, DeploymentPage } from '../pages/create-page.mjs';
import { seed, api, SHOP_SEED, SHOP_TOKEN, SHOP_READER_TOKEN } from '../support/fake.mjs';

test.beforeEach(async () => {
  await seed(SHOP_SEED);
});

/// The create-deployment bodies the page sends, as the fake receives them.
function recordCreates(page) {
  const bodies = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/repos\/acme\/shop\/deployments$/.test(new URL(r.url()).pathname)) bodies.push(JSON.parse(r.postData()));
  });
  return bodies;
}

test('a deployment is created (201) and its page opens and follows it', async ({ page }) => {
  const create = new CreatePage(page);
  const deployment = new DeploymentPage(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'main', environment: 'staging', description: 'Ship it', payload: '{"region":"eu","canary":true}' });
  await page.getByRole('button', { name: 'Format JSON' }).first().click();
  await expect(create.payload).toHaveValue('{\n  "canary": true,\n  "region": "eu"\n}');
  await expect(page.getByTestId('effective-production')).toHaveText('This deployment will not be a production deployment.');
  await create.create.click();
  await expect(page).toHaveURL(/\/custom\/acme\/shop\/deployments\/\d+\?api=/);
  const id = deployment.idFromUrl();
  await deployment.expectOpen(id, 'staging');
  await expect(page.getByTestId('payload')).toContainText('"region": "eu"');
  await expect(deployment.noStatus).toBeVisible();
  const stored = await api(`/repos/acme/shop/deployments/${id}`, SHOP_TOKEN);
  expect(stored.body).toMatchObject({ ref: 'main', environment: 'staging', description: 'Ship it', payload: { region: 'eu', canary: true } });
  await page.screenshot({ path: 'tests/e2e/artifacts/deployment-page.png', fullPage: true });
});

test('a ref behind the default branch is merged first (202); creating again deploys the merge', async ({ page }) => {
  const create = new CreatePage(page);
  const sent = recordCreates(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'behind', environment: 'staging' });
  await create.create.click();
  const merged = page.getByTestId('auto-merged');
  await expect(merged).toContainText('No deployment yet: GitHub merged the default branch into this ref first.');
  await expect(create.ref, 'what was typed stays').toHaveValue('behind');
  await page.screenshot({ path: 'tests/e2e/artifacts/create-auto-merged.png', fullPage: true });
  await merged.getByRole('button', { name: 'Create again' }).click();
  await expect(page).toHaveURL(/\/deployments\/\d+\?api=/);
  expect(sent).toHaveLength(2);
});

test('a merge conflict (409) names the branches and offers to deploy without auto-merge', async ({ page }) => {
  const create = new CreatePage(page);
  const sent = recordCreates(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'conflicted', environment: 'staging' });
  await create.create.click();
  const conflict = page.getByTestId('merge-conflict');
  await expect(conflict).toContainText('conflicted');
  await expect(conflict).toContainText('main');
  await expect(page.getByTestId('error-panel')).toContainText('conflict');
  await conflict.getByRole('button', { name: 'Create without auto-merge' }).click();
  await expect(page).toHaveURL(/\/deployments\/\d+\?api=/);
  expect(sent.map((b) => b.auto_merge)).toEqual([undefined, false]);
});

test('failed checks (409) are listed with their states; "create anyway" skips checks and creates it', async ({ page }) => {
  const create = new CreatePage(page);
  const sent = recordCreates(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'red', environment: 'staging' });
  await create.create.click();
  const failed = page.getByTestId('failed-checks');
  await expect(failed.getByRole('listitem')).toHaveText(['ci/build — success', 'ci/test — failure']);
  await page.screenshot({ path: 'tests/e2e/artifacts/create-failed-checks.png', fullPage: true });
  await failed.getByRole('button', { name: 'Create anyway, skipping checks' }).click();
  await expect(page).toHaveURL(/\/deployments\/\d+\?api=/);
  expect(sent.map((b) => b.required_contexts)).toEqual([undefined, []]);
});

test("GitHub's 422 lands on the field it is about, and the form's own checks come first", async ({ page }) => {
  const create = new CreatePage(page);
  const sent = recordCreates(page);
  await create.open('acme/shop', SHOP_TOKEN);
  // The form's own checks: nothing is sent while a field is wrong.
  await create.fill({ ref: 'bad..ref', environment: 'staging', payload: '{"open": ' });
  await expect(page.locator('#dep-payload-live')).toContainText('payload');
  await create.create.click();
  await expect(create.fieldError('dep-ref')).not.toBeEmpty();
  await expect(create.ref).toHaveAttribute('aria-invalid', 'true');
  expect(sent).toEqual([]);
  // A ref GitHub does not know: its 422 sits on the ref field.
  await create.fill({ ref: 'no-such-branch', payload: '' });
  await create.create.click();
  await expect(create.fieldError('dep-ref')).toContainText('No ref found for: no-such-branch');
  await expect(create.ref).toHaveAttribute('aria-invalid', 'true');
  await expect(create.ref).toHaveValue('no-such-branch');
});

test('the draft survives a reload, and "copy as" never holds the token', async ({ page }) => {
  const create = new CreatePage(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'main', environment: 'qa', description: "it's a test", payload: '{"a":1}' });
  await page.getByRole('radio', { name: /Skip checks/ }).check();
  await page.reload();
  await expect(create.form).toBeVisible();
  await expect(create.ref).toHaveValue('main');
  await expect(create.environment).toHaveValue('qa');
  await expect(create.description).toHaveValue("it's a test");
  await expect(create.payload).toHaveValue('{"a":1}');
  await expect(page.getByRole('radio', { name: /Skip checks/ })).toBeChecked();
  await create.form.getByText('Copy as curl / gh api').click();
  const curl = page.getByTestId('curl-command').first();
  await expect(curl).toContainText("curl --config - -X POST 'http://127.0.0.1:18788/repos/acme/shop/deployments'");
  await expect(curl).toContainText('printf \'header = "Authorization: Bearer %s"\\n\' "$GITHUB_TOKEN" |');
  await expect(curl).toContainText('"required_contexts":[]');
  await expect(curl).not.toContainText(SHOP_TOKEN);
  // Pasted in a shell, it makes the deployment — the token reaching curl on its standard input, so it is on
  // no command line another user could read with ps.
  const command = await curl.textContent();
  const ran = spawnSync('sh', ['-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_TOKEN: SHOP_TOKEN } });
  expect(ran.status, ran.stderr).toBe(0);
  const made = JSON.parse(ran.stdout);
  expect(made.environment).toBe('qa');
  expect((await api(`/repos/acme/shop/deployments/${made.id}`, SHOP_TOKEN)).body.description).toBe("it's a test");
  await expect(create.form.getByText('gh cannot address a custom API base')).toBeVisible();
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  expect(stored).toContain('deploydeck.draft.deployment');
  expect(stored.match(new RegExp(SHOP_TOKEN, 'g')) ?? [], 'the token is kept once, under its own key').toHaveLength(1);
  await page.screenshot({ path: 'tests/e2e/artifacts/create.png', fullPage: true });
});

test('a token that cannot write is told what to add, under the refusal, and the form keeps what was typed', async ({ page }) => {
  const create = new CreatePage(page);
  await create.open('acme/shop', SHOP_READER_TOKEN);
  await create.fill({ ref: 'main', environment: 'staging', description: 'try' });
  await create.create.click();
  await expect(page.getByTestId('error-panel')).toContainText('The deployment was not created');
  const diagnosis = page.getByTestId('access-diagnostics');
  await expect(diagnosis.getByTestId('access-panel')).toContainText('repo_deployment');
  await expect(create.description).toHaveValue('try');
});

test('in the demo, a deployment is created, opened and given a status, with no token and nothing leaving the page', async ({ page }) => {
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:18080/')) outside.push(r.url()); });
  await page.goto('/demo/acme/storefront/create');
  const create = new CreatePage(page);
  await expect(create.form).toBeVisible();
  // Suggestions: the default branch first; every environment, past the first page of 100 (the demo has 107).
  await expect(page.locator('#dep-refs option').first()).toHaveAttribute('value', 'main');
  await expect(page.locator('#dep-environments option[value="production"]')).toHaveCount(1);
  await expect(page.locator('#dep-environments option')).toHaveCount(107);
  await create.fill({ ref: 'main', environment: 'staging' });
  await create.create.click();
  await expect(page).toHaveURL(/\/demo\/acme\/storefront\/deployments\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: /to staging$/ })).toBeVisible();
  const deployment = new DeploymentPage(page);
  await deployment.chooseState('Success');
  // The demo's staging has more than a hundred earlier deployments: their states come from GraphQL, a read per
  // hundred, so there is no cost to ask about.
  await expect(deployment.preview.getByTestId('will-deactivate').first()).toBeVisible();
  await expect(deployment.preview.getByTestId('preview-cost')).toHaveCount(0);
  await deployment.post.click();
  await expect(deployment.statuses.first()).toContainText('Success');
  expect(outside).toEqual([]);
});

test('the form is usable at once: the branch and environment suggestions join it when their reads answer (issue 30)', async ({ page }) => {
  // Hold the two suggestion reads until the form has been used: a form that waited for them would never show.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/repos\/acme\/shop\/(branches|environments)\?/, async (route) => {
    await held;
    await route.continue();
  });
  const create = new CreatePage(page);
  await create.open('acme/shop', SHOP_TOKEN);
  await create.fill({ ref: 'main', environment: 'staging', description: 'before the suggestions' });
  await expect(page.locator('#dep-refs option')).toHaveCount(0);
  release();
  await expect(page.locator('#dep-refs option').first()).toHaveAttribute('value', 'main');
  await expect(page.locator('#dep-environments option[value="production"]')).toHaveCount(1);
  // What was typed stays as the suggestions arrive.
  await expect(create.ref).toHaveValue('main');
  await expect(create.description).toHaveValue('before the suggestions');
});
