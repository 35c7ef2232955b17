// Every route and outcome over HTTP; every JSON body validated against the matching schema of GitHub's
// OpenAPI description, and the headers every response must carry (docs/github-api.md §2, §3, §11).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFake, call, spec } from './helpers.mjs';

const SEED = {
  users: [{ login: 'octocat' }, { login: 'hubot' }],
  repositories: [{
    owner: 'acme', name: 'web', collaborators: { octocat: 'admin', hubot: 'write' },
    branches: [
      { name: 'main', sha: 'a'.repeat(40) },
      { name: 'feature/behind', sha: 'b'.repeat(40), behind_by: 2 },
      { name: 'feature/conflict', sha: 'c'.repeat(40), behind_by: 1, merge_conflict: true },
      { name: 'feature/red', sha: 'd'.repeat(40) },
    ],
    contexts: { ['d'.repeat(40)]: [{ context: 'CodeRabbit', state: 'pending' }, { context: 'build (0)', state: 'success' }] },
    environments: [
      { name: 'production', wait_timer: 5, reviewers: ['octocat'], branch_policy: [true, false] },
      { name: 'staging', reviewer_teams: ['ops'], prevent_self_review: true },
    ],
    runs: [
      { id: 30433642, workflow: 'Deploy', title: 'Ship the new header', ref: 'main', actor: 'hubot', created_at: '2026-09-21T10:00:00Z', waits_on: ['production', 'staging'] },
      { id: 30433643, workflow: 'Deploy', ref: 'main', actor: 'octocat', created_at: '2026-09-21T10:01:00Z', waits_on: ['staging'], pull_request: 42 },
    ],
  }],
  teams: [{ org: 'acme', slug: 'ops', name: 'Ops', members: ['octocat'] }],
};

// §16: a line of five commits on main, a branch from its second, and two finished deploy runs (one too old to
// re-run).
const DAY = 86_400_000;
const LINE = ['1', '2', '3', '4', '5'].map((n) => n.repeat(40));
const SIDE = 'e'.repeat(40);
SEED.repositories.push({
  owner: 'acme', name: 'line', collaborators: { octocat: 'admin' },
  branches: [{ name: 'main', sha: LINE[4] }, { name: 'feature/side', sha: SIDE }],
  history: [
    ...LINE.map((sha, i) => ({ sha, parent: i ? LINE[i - 1] : null, message: `Change ${i + 1}\n\nwith a body`, author: 'octocat', date: new Date(Date.now() - (10 - i) * DAY).toISOString(), files: [`src/f${i}.rs`, 'CHANGELOG.md'] })),
    { sha: SIDE, parent: LINE[1], message: 'A side change', author: 'Somebody Else', files: ['README.md'] },
  ],
  runs: [
    { id: 555001, workflow: 'Deploy', ref: 'main', sha: LINE[3], actor: 'octocat', created_at: new Date(Date.now() - 2 * DAY).toISOString(), waits_on: ['production'], conclusion: 'success' },
    { id: 555002, workflow: 'Deploy', ref: 'main', sha: LINE[1], actor: 'octocat', created_at: new Date(Date.now() - 40 * DAY).toISOString(), waits_on: ['production'], conclusion: 'success' },
  ],
});

let fake;
const T = 't-repo';
const R = '/repos/acme/web';

before(async () => {
  fake = await startFake(['--token', `${T}=repo`, '--token', 'f-read=fine:deployments:read', '--token', 't-none=', '--token', 't-writer=repo@hubot']);
  const seeded = await fetch(`${fake.base}/_fake/seed`, { method: 'POST', body: JSON.stringify(SEED) });
  assert.equal(seeded.status, 200, await seeded.text());
});
after(() => fake?.stop());

const EXPOSE = 'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset, Warning';

/** Calls, checks status, common headers and the body's schema; returns the response. */
async function expect(template, method, path, status, opts = {}) {
  const res = await call(fake.base, method, path, { token: T, ...opts });
  assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
  const h = res.headers;
  assert.equal(h.get('access-control-allow-origin'), '*', 'CORS on every response (§3)');
  assert.equal(h.get('access-control-expose-headers'), EXPOSE);
  assert.equal(h.get('x-github-media-type'), 'github.v3; format=json');
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used', 'x-ratelimit-resource']) {
    assert.ok(h.get(name), `${name} on ${method} ${path}`);
  }
  if (status === 204 || status === 304) {
    assert.equal(res.text, '', 'no body');
    assert.equal(h.get('content-type'), null);
    return res;
  }
  assert.equal(h.get('content-type'), 'application/json; charset=utf-8');
  if (status === 200 && method === 'GET') assert.match(h.get('etag'), /^"[0-9a-f]{64}"$/);
  // A 201 that made a resource says where; a re-run makes none it could point at (§16).
  if (status === 201 && !opts.noResource) assert.ok(h.get('location')?.startsWith(fake.base), 'Location on 201');
  if (status >= 400) assert.equal(res.json.status, String(status), 'error bodies carry "status" (§2)');
  const { ok, errors, pointer } = spec().check(template, method, status, res.json, opts.fallback ?? 'basic-error');
  assert.ok(ok, `${method} ${path} ${status} does not match ${pointer}:\n${errors.join('\n')}\n${res.text.slice(0, 400)}`);
  return res;
}

const DEPLOYMENTS = '/repos/{owner}/{repo}/deployments';
const DEPLOYMENT = '/repos/{owner}/{repo}/deployments/{deployment_id}';
const STATUSES = '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses';
const STATUS = '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}';

test('the validator refuses bodies that break the schema (it is not vacuous)', async () => {
  const good = (await call(fake.base, 'POST', `${R}/deployments`, { token: T, body: { ref: 'main', environment: 'validator' } })).json;
  assert.ok(spec().check(DEPLOYMENTS, 'POST', 201, good).ok);
  const { sha, ...noSha } = good;
  assert.ok(sha);
  assert.equal(spec().check(DEPLOYMENTS, 'POST', 201, noSha).ok, false, 'a missing required member');
  assert.equal(spec().check(DEPLOYMENTS, 'POST', 201, { ...good, id: 'x' }).ok, false, 'a wrong type');
  assert.equal(spec().check(DEPLOYMENTS, 'POST', 201, { ...good, created_at: 'yesterday' }).ok, false, 'a bad date-time');
  assert.equal(spec().check(DEPLOYMENTS, 'POST', 201, { ...good, url: 'not a uri' }).ok, false, 'a bad uri');
  assert.equal(spec().check(STATUS, 'GET', 200, { ...good, state: 'exploded' }).ok, false, 'a status is not a deployment');
  assert.ok(spec().check(DEPLOYMENTS, 'POST', 201, { ...good, description: null }).ok, 'nullable members accept null');
  assert.equal(spec().check(DEPLOYMENTS, 'POST', 201, { ...good, task: null }).ok, false, 'non-nullable members do not');
});

test('GET /user answers a private-user', async () => {
  const res = await call(fake.base, 'GET', '/user', { token: T });
  assert.equal(res.status, 200);
  const { ok, errors } = spec().component('private-user', res.json);
  assert.ok(ok, errors.join('\n'));
  assert.equal(res.headers.get('x-oauth-scopes'), 'repo');
});

test('GET /rate_limit answers a rate-limit-overview and costs nothing', async () => {
  const a = await expect('/rate_limit', 'GET', '/rate_limit', 200);
  const b = await expect('/rate_limit', 'GET', '/rate_limit', 200);
  assert.equal(a.json.resources.core.remaining, b.json.resources.core.remaining);
});

test('GET /repos/{owner}/{repo} answers a full-repository with permissions', async () => {
  const res = await expect('/repos/{owner}/{repo}', 'GET', R, 200);
  assert.deepEqual(res.json.permissions, { admin: true, maintain: true, push: true, triage: true, pull: true });
  await expect('/repos/{owner}/{repo}', 'GET', '/repos/acme/missing', 404);
});

test('deployments: create (201, 202, both 409s, 422), list, get, 404', async () => {
  const created = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'staging', payload: { a: 1 }, description: 'contract' } });
  assert.equal(created.headers.get('location'), created.json.url);
  const text = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', payload: 'plain text' } });
  assert.equal(text.json.payload, 'plain text');
  const merged = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 202, { body: { ref: 'feature/behind' } });
  assert.equal(merged.json.message, 'Auto-merged main into feature/behind on deployment.');
  const conflict = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 409, { body: { ref: 'feature/conflict' } });
  assert.match(conflict.json.message, /^Conflict merging main into feature\/conflict/);
  const checks = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 409, { body: { ref: 'feature/red' } });
  assert.deepEqual(checks.json.errors[0].contexts, [{ context: 'CodeRabbit', state: 'pending' }, { context: 'build (0)', state: 'success' }]);
  const noRef = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 422, { body: { ref: 'nope' } });
  assert.equal(noRef.json.message, 'No ref found for: nope');
  await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 422, { body: { environment: 'x' } });

  const list = await expect(DEPLOYMENTS, 'GET', `${R}/deployments`, 200);
  assert.deepEqual(list.json.slice(0, 2).map((d) => d.id), [text.json.id, created.json.id], 'the two just created lead');
  assert.ok(list.json.every((d, i) => i === 0 || list.json[i - 1].id > d.id), 'newest first');
  await expect(DEPLOYMENT, 'GET', `${R}/deployments/${created.json.id}`, 200);
  await expect(DEPLOYMENT, 'GET', `${R}/deployments/1`, 404);
});

test('statuses: create (201, 422), list, get, 404', async () => {
  const d = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'qa' } });
  const s = await expect(STATUSES, 'POST', `${R}/deployments/${d.json.id}/statuses`, 201, { body: { state: 'success', log_url: 'https://ci.example/1', environment_url: 'https://qa.example', description: 'ok' } });
  assert.equal(s.json.target_url, 'https://ci.example/1');
  await expect(STATUSES, 'POST', `${R}/deployments/${d.json.id}/statuses`, 422, { body: { state: 'success', description: 'x'.repeat(141) }, fallback: 'validation-error' });
  await expect(STATUSES, 'POST', `${R}/deployments/${d.json.id}/statuses`, 422, { body: { description: 'no state' }, fallback: 'validation-error' });
  for (const state of ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending']) {
    await expect(STATUSES, 'POST', `${R}/deployments/${d.json.id}/statuses`, 201, { body: { state } });
  }
  const list = await expect(STATUSES, 'GET', `${R}/deployments/${d.json.id}/statuses`, 200);
  assert.equal(list.json.length, 7);
  await expect(STATUS, 'GET', `${R}/deployments/${d.json.id}/statuses/${s.json.id}`, 200);
  await expect(STATUS, 'GET', `${R}/deployments/${d.json.id}/statuses/1`, 404);
  await expect(STATUSES, 'GET', `${R}/deployments/1/statuses`, 404);
  await expect(STATUSES, 'POST', `${R}/deployments/1/statuses`, 404, { body: { state: 'success' } });
});

test('delete: 422 for an active deployment, 204 once inactive, then 404', async () => {
  const a = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'cleanup' } });
  await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'cleanup' } });
  await expect(STATUSES, 'POST', `${R}/deployments/${a.json.id}/statuses`, 201, { body: { state: 'success' } });
  const refused = await expect(DEPLOYMENT, 'DELETE', `${R}/deployments/${a.json.id}`, 422);
  assert.deepEqual(refused.json.errors, ['We cannot delete an active deployment unless it is the only deployment in a given environment.']);
  await expect(STATUSES, 'POST', `${R}/deployments/${a.json.id}/statuses`, 201, { body: { state: 'inactive' } });
  await expect(DEPLOYMENT, 'DELETE', `${R}/deployments/${a.json.id}`, 204);
  await expect(DEPLOYMENT, 'DELETE', `${R}/deployments/${a.json.id}`, 404);
});

test('dispatches: 204 and 422', async () => {
  await expect('/repos/{owner}/{repo}/dispatches', 'POST', `${R}/dispatches`, 204, { body: { event_type: 'on-demand-test', client_payload: { unit: false, integration: true } } });
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
  await expect('/repos/{owner}/{repo}/dispatches', 'POST', `${R}/dispatches`, 422, { body: { event_type: 'x', client_payload: eleven }, fallback: 'validation-error' });
  const seen = await (await fetch(`${fake.base}/_fake/dispatches`)).json();
  assert.deepEqual(seen.map((d) => d.event_type), ['on-demand-test']);
});

test('environments: list, get (encoded name), 404', async () => {
  await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'review/pr-1' } });
  const list = await expect('/repos/{owner}/{repo}/environments', 'GET', `${R}/environments`, 200);
  assert.ok(list.json.environments.some((e) => e.name === 'review/pr-1'));
  const prod = list.json.environments.find((e) => e.name === 'production');
  assert.deepEqual(prod.protection_rules.map((r) => r.type), ['wait_timer', 'required_reviewers', 'branch_policy']);
  await expect('/repos/{owner}/{repo}/environments/{environment_name}', 'GET', `${R}/environments/review%2Fpr-1`, 200);
  await expect('/repos/{owner}/{repo}/environments/{environment_name}', 'GET', `${R}/environments/nowhere`, 404);
});

test('environments: delete (204, then 404) by an admin; refused to a writer (403, or 404 as a setting) and to a token without Administration', async () => {
  const ENV = '/repos/{owner}/{repo}/environments/{environment_name}';
  await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'review/pr-2' } });
  const writer = await expect(ENV, 'DELETE', `${R}/environments/review%2Fpr-2`, 403, { token: 't-writer' });
  assert.equal(writer.json.message, 'Must have admin rights to Repository.');
  assert.equal(writer.json.documentation_url, 'https://docs.github.com/rest/deployments/environments#delete-an-environment');
  const fine = await expect(ENV, 'DELETE', `${R}/environments/review%2Fpr-2`, 403, { token: 'f-read' });
  assert.equal(fine.headers.get('x-accepted-github-permissions'), 'administration=write');
  await fetch(`${fake.base}/_fake/settings`, { method: 'POST', body: JSON.stringify({ non_admin: 'not_found' }) });
  try {
    await expect(ENV, 'DELETE', `${R}/environments/review%2Fpr-2`, 404, { token: 't-writer' });
  } finally {
    await fetch(`${fake.base}/_fake/settings`, { method: 'POST', body: JSON.stringify({}) });
  }
  await expect(ENV, 'GET', `${R}/environments/review%2Fpr-2`, 200);
  await expect(ENV, 'DELETE', `${R}/environments/review%2Fpr-2`, 204);
  await expect(ENV, 'GET', `${R}/environments/review%2Fpr-2`, 404);
  await expect(ENV, 'DELETE', `${R}/environments/review%2Fpr-2`, 404);
});

test('branches: list', async () => {
  const res = await expect('/repos/{owner}/{repo}/branches', 'GET', `${R}/branches`, 200);
  assert.deepEqual(res.json.map((b) => b.name), ['feature/behind', 'feature/conflict', 'feature/red', 'main']);
});

test('auth failures: 401 bad token, 401 anonymous write, 403 fine-grained read-only write, 403 no scope', async () => {
  await expect(DEPLOYMENTS, 'GET', `${R}/deployments`, 401, { token: 'wrong' });
  await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 401, { token: undefined, body: { ref: 'main' } });
  const fine = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 403, { token: 'f-read', body: { ref: 'main' } });
  assert.equal(fine.json.message, 'Resource not accessible by personal access token');
  const none = await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 403, { token: 't-none', body: { ref: 'main' } });
  assert.equal(none.headers.get('x-accepted-oauth-scopes'), 'repo, repo_deployment, public_repo');
});

test('pagination: Link in GitHub order, per_page clamped, every page valid', async () => {
  for (let i = 0; i < 5; i++) await expect(DEPLOYMENTS, 'POST', `${R}/deployments`, 201, { body: { ref: 'main', environment: 'paged' } });
  const first = await expect(DEPLOYMENTS, 'GET', `${R}/deployments?environment=paged&per_page=2`, 200);
  const link = first.headers.get('link');
  assert.match(link, /^<[^>]+environment=paged&per_page=2&page=2>; rel="next", <[^>]+page=3>; rel="last"$/);
  const middle = await expect(DEPLOYMENTS, 'GET', `${R}/deployments?environment=paged&per_page=2&page=2`, 200);
  assert.deepEqual([...middle.headers.get('link').matchAll(/rel="(\w+)"/g)].map((m) => m[1]), ['prev', 'next', 'last', 'first']);
  const clamped = await expect(DEPLOYMENTS, 'GET', `${R}/deployments?per_page=500`, 200);
  assert.ok(clamped.json.length <= 100);
});

test('conditional requests: 304 without body, quota untouched', async () => {
  const first = await expect(DEPLOYMENTS, 'GET', `${R}/deployments?per_page=1`, 200);
  const again = await expect(DEPLOYMENTS, 'GET', `${R}/deployments?per_page=1`, 304, { headers: { 'If-None-Match': first.headers.get('etag') } });
  assert.equal(again.headers.get('x-ratelimit-remaining'), first.headers.get('x-ratelimit-remaining'));
});

const RUNS = '/repos/{owner}/{repo}/actions/runs';
const RUN = '/repos/{owner}/{repo}/actions/runs/{run_id}';
const PENDING = '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments';
const APPROVALS = '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals';

test('workflow runs waiting for review: list, get, pending deployments (users and teams), review (200, 422s, 404), past reviews', async () => {
  const waiting = await expect(RUNS, 'GET', `${R}/actions/runs?status=waiting`, 200);
  assert.deepEqual(waiting.json.workflow_runs.map((r) => [r.id, r.status]), [[30433643, 'waiting'], [30433642, 'waiting']]);
  // A run of a pull request names it (`pull-request-minimal`, checked with the list against the description).
  assert.deepEqual(waiting.json.workflow_runs.map((r) => r.pull_requests.map((p) => [p.number, p.head.ref, p.base.ref])), [[[42, 'main', 'main']], []]);
  assert.equal(waiting.headers.get('x-poll-interval'), null, 'no poll interval unless set');
  await fetch(`${fake.base}/_fake/settings`, { method: 'POST', body: JSON.stringify({ poll_interval_s: 60 }) });
  try {
    const polled = await expect(RUNS, 'GET', `${R}/actions/runs?status=waiting`, 200);
    assert.equal(polled.headers.get('x-poll-interval'), '60');
  } finally {
    await fetch(`${fake.base}/_fake/settings`, { method: 'POST', body: JSON.stringify({}) });
  }
  await expect(RUN, 'GET', `${R}/actions/runs/30433642`, 200);
  await expect(RUN, 'GET', `${R}/actions/runs/1`, 404);
  const pending = await expect(PENDING, 'GET', `${R}/actions/runs/30433642/pending_deployments`, 200);
  assert.deepEqual(pending.json.map((p) => [p.environment.name, p.current_user_can_approve, p.reviewers.map((r) => r.type)]),
    [['production', true, ['User']], ['staging', true, ['Team']]]);
  const staging = pending.json[1].environment.id;
  const self = await expect(PENDING, 'POST', `${R}/actions/runs/30433643/pending_deployments`, 422,
    { body: { environment_ids: [staging], state: 'approved', comment: '' } });
  assert.match(self.json.message, /self-review is prevented/);
  await expect(PENDING, 'POST', `${R}/actions/runs/30433642/pending_deployments`, 422, { body: { environment_ids: [staging], state: 'approved' } });
  await expect(PENDING, 'POST', `${R}/actions/runs/1/pending_deployments`, 404, { body: { environment_ids: [staging], state: 'approved', comment: '' } });
  const decided = await expect(PENDING, 'POST', `${R}/actions/runs/30433642/pending_deployments`, 200,
    { body: { environment_ids: [staging], state: 'approved', comment: 'Ship it!' } });
  assert.deepEqual(decided.json.map((d) => d.environment), ['staging']);
  const history = await expect(APPROVALS, 'GET', `${R}/actions/runs/30433642/approvals`, 200);
  assert.deepEqual(history.json.map((a) => [a.state, a.user.login, a.comment, a.environments.map((e) => e.name)]), [['approved', 'octocat', 'Ship it!', ['staging']]]);
});

const L = '/repos/acme/line';
const COMMIT = '/repos/{owner}/{repo}/commits/{ref}';
const COMPARE = '/repos/{owner}/{repo}/compare/{basehead}';

test('commits: one commit by SHA, branch or short SHA (200), an unknown SHA (422) or name (404)', async () => {
  const c = (await expect(COMMIT, 'GET', `${L}/commits/${LINE[2]}`, 200)).json;
  assert.equal(c.sha, LINE[2]);
  assert.deepEqual(c.parents.map((p) => p.sha), [LINE[1]]);
  assert.equal(c.commit.message, 'Change 3\n\nwith a body');
  assert.equal(c.author.login, 'octocat');
  assert.deepEqual(c.files.map((f) => f.filename), ['src/f2.rs', 'CHANGELOG.md']);
  assert.equal((await expect(COMMIT, 'GET', `${L}/commits/main`, 200)).json.sha, LINE[4]);
  assert.equal((await expect(COMMIT, 'GET', `${L}/commits/heads/main`, 200)).json.sha, LINE[4], 'heads/NAME, several segments');
  assert.equal((await expect(COMMIT, 'GET', `${L}/commits/feature/side`, 200)).json.sha, SIDE, 'a branch name with a slash');
  assert.equal((await expect(COMMIT, 'GET', `${L}/commits/${LINE[0].slice(0, 7)}`, 200)).json.parents.length, 0);
  const side = (await expect(COMMIT, 'GET', `${L}/commits/${SIDE}`, 200)).json;
  assert.equal(side.author, null, 'an author GitHub cannot match to a user is null');
  assert.equal(side.commit.author.name, 'Somebody Else');
  const missing = await expect(COMMIT, 'GET', `${L}/commits/${'f'.repeat(40)}`, 422, { fallback: 'validation-error' });
  assert.equal(missing.json.message, `No commit found for SHA: ${'f'.repeat(40)}`);
  await expect(COMMIT, 'GET', `${L}/commits/no-such-branch`, 404);
});

test('compare: ahead, behind, identical and diverged, oldest first, paged with files on the first page only', async () => {
  const ahead = (await expect(COMPARE, 'GET', `${L}/compare/${LINE[1]}...${LINE[4]}`, 200)).json;
  assert.deepEqual([ahead.status, ahead.ahead_by, ahead.behind_by, ahead.total_commits], ['ahead', 3, 0, 3]);
  assert.deepEqual(ahead.commits.map((c) => c.sha), LINE.slice(2), 'oldest first');
  assert.equal(ahead.merge_base_commit.sha, LINE[1]);
  assert.deepEqual(ahead.files.map((f) => f.filename).sort(), ['CHANGELOG.md', 'src/f2.rs', 'src/f3.rs', 'src/f4.rs']);
  const behind = (await expect(COMPARE, 'GET', `${L}/compare/main...${LINE[0]}`, 200)).json;
  assert.deepEqual([behind.status, behind.ahead_by, behind.behind_by, behind.commits.length], ['behind', 0, 4, 0]);
  const same = (await expect(COMPARE, 'GET', `${L}/compare/main...${LINE[4]}`, 200)).json;
  assert.deepEqual([same.status, same.ahead_by, same.behind_by], ['identical', 0, 0]);
  const diverged = (await expect(COMPARE, 'GET', `${L}/compare/main...feature/side`, 200)).json;
  assert.deepEqual([diverged.status, diverged.ahead_by, diverged.behind_by], ['diverged', 1, 3]);
  const first = await expect(COMPARE, 'GET', `${L}/compare/${LINE[0]}...main?per_page=2&page=1`, 200);
  assert.deepEqual(first.json.commits.map((c) => c.sha), LINE.slice(1, 3));
  assert.match(first.headers.get('link'), /per_page=2&page=2>; rel="next"/);
  const second = (await expect(COMPARE, 'GET', `${L}/compare/${LINE[0]}...main?per_page=2&page=2`, 200)).json;
  assert.deepEqual(second.commits.map((c) => c.sha), LINE.slice(3));
  assert.deepEqual(second.files, [], 'files come with the first page only');
  assert.equal(second.total_commits, 4);
  await expect(COMPARE, 'GET', `${L}/compare/main...${'f'.repeat(40)}`, 404);
  await expect(COMPARE, 'GET', `${L}/compare/main`, 404);
});

test('re-run a workflow run: 201 and a new deployment logged at the run; 403 over 30 days; 404', async () => {
  const before = (await expect(DEPLOYMENTS, 'GET', `${L}/deployments`, 200)).json;
  const made = before.find((d) => d.sha === LINE[3]);
  assert.equal(made.performed_via_github_app.slug, 'github-actions');
  assert.equal(made.creator.login, 'github-actions[bot]');
  const statuses = (await expect(STATUSES, 'GET', `${L}/deployments/${made.id}/statuses`, 200)).json;
  assert.match(statuses[0].log_url, /\/acme\/line\/actions\/runs\/555001\/job\/\d+$/);
  const rerun = await expect('/repos/{owner}/{repo}/actions/runs/{run_id}/rerun', 'POST', `${L}/actions/runs/555001/rerun`, 201, { fallback: 'empty-object', noResource: true });
  assert.deepEqual(rerun.json, {});
  const after = (await expect(DEPLOYMENTS, 'GET', `${L}/deployments`, 200)).json;
  assert.equal(after.length, before.length + 1);
  assert.equal(after[0].sha, LINE[3]);
  assert.equal(after[0].environment, 'production');
  const run = (await expect('/repos/{owner}/{repo}/actions/runs/{run_id}', 'GET', `${L}/actions/runs/555001`, 200)).json;
  assert.equal(run.run_attempt, 2);
  const old = await expect('/repos/{owner}/{repo}/actions/runs/{run_id}/rerun', 'POST', `${L}/actions/runs/555002/rerun`, 403);
  assert.match(old.json.message, /month/);
  await expect('/repos/{owner}/{repo}/actions/runs/{run_id}/rerun', 'POST', `${L}/actions/runs/999/rerun`, 404);
  const reader = await call(fake.base, 'POST', `${L}/actions/runs/555001/rerun`, { token: 'f-read' });
  assert.ok([403, 404].includes(reader.status), `a token without Actions: write is refused (${reader.status})`);
});
