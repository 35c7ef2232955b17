// Talking to the e2e fake-github from a spec: load a seed (which replaces the hub, keeping the command
// line's repositories and tokens), read the request log, and ask the API directly (to check what the app
// did against what the fake then holds).
import { FAKE } from '../playwright.config.mjs';

export async function seed(value) {
  const answer = await fetch(`${FAKE}/_fake/seed`, { method: 'POST', body: JSON.stringify(value) });
  if (!answer.ok) throw new Error(`seed refused: ${await answer.text()}`);
}

export async function requests() {
  return (await fetch(`${FAKE}/_fake/requests`)).json();
}

export async function clearRequests() {
  await fetch(`${FAKE}/_fake/requests`, { method: 'DELETE' });
}

export async function dispatches() {
  return (await fetch(`${FAKE}/_fake/dispatches`)).json();
}

export async function api(path, token, init = {}) {
  const answer = await fetch(`${FAKE}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', ...(init.headers ?? {}) },
  });
  return { status: answer.status, body: answer.status === 204 ? null : await answer.json() };
}

/// acme/shop (public): branches to reach every create-deployment answer, and two earlier successful production
/// deployments (the older one already inactive) for the auto-inactive preview.
export const SHOP_TOKEN = 't-shop';
/// A classic token without `repo` or `repo_deployment`: it can read the public repository, not write.
export const SHOP_READER_TOKEN = 't-shop-reader';
export const SHOP_SEED = {
  users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }],
  tokens: [
    { token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] },
    { token: SHOP_READER_TOKEN, user: 'mona', scopes: ['read:user'] },
  ],
  repositories: [{
    owner: 'acme',
    name: 'shop',
    collaborators: { mona: 'write' },
    branches: [
      { name: 'main', sha: '1111111111111111111111111111111111111111' },
      { name: 'behind', sha: '2222222222222222222222222222222222222222', behind_by: 3 },
      { name: 'conflicted', sha: '3333333333333333333333333333333333333333', behind_by: 1, merge_conflict: true },
      { name: 'red', sha: '4444444444444444444444444444444444444444' },
    ],
    contexts: {
      '4444444444444444444444444444444444444444': [
        { context: 'ci/build', state: 'success' },
        { context: 'ci/test', state: 'failure' },
      ],
    },
    environments: [{ name: 'production' }, { name: 'staging' }],
    deployments: [
      { id: 101, ref: 'main', sha: '1111111111111111111111111111111111111111', environment: 'production', creator: 'mona', created_at: '2026-11-01T10:00:00Z',
        statuses: [{ state: 'success', created_at: '2026-11-01T10:01:00Z' }, { state: 'inactive', created_at: '2026-11-02T10:01:00Z' }] },
      { id: 102, ref: 'main', sha: '1111111111111111111111111111111111111111', environment: 'production', creator: 'mona', created_at: '2026-11-02T10:00:00Z',
        statuses: [{ state: 'success', created_at: '2026-11-02T10:01:00Z' }] },
      { id: 103, ref: 'main', sha: '1111111111111111111111111111111111111111', environment: 'staging', creator: 'mona', created_at: '2026-11-03T10:00:00Z',
        statuses: [{ state: 'success', created_at: '2026-11-03T10:01:00Z' }] },
    ],
  }],
};

/// acme/hist (public): `count` deployments, newest last in the seed (ids 1001…), alternating production and
/// staging, by mona and hubot; each has queued → in_progress → a final state (every fifth failed), and
/// production's older successes are inactive, as auto-inactive would have left them. Token `t-shop` reads it.
export function historySeed(count) {
  const day = Date.parse('2026-09-01T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const deployments = [];
  for (let i = 0; i < count; i++) {
    const at = day + i * 3_600_000;
    const environment = i % 2 === 0 ? 'production' : 'staging';
    const failed = i % 5 === 4;
    const olderSuccess = environment === 'production' && !failed && i < count - 6;
    const statuses = [
      { state: 'queued', created_at: iso(at + 60_000) },
      { state: 'in_progress', created_at: iso(at + 120_000) },
      { state: failed ? 'failure' : 'success', created_at: iso(at + 240_000) },
    ];
    if (olderSuccess) statuses.push({ state: 'inactive', created_at: iso(at + 3_000_000) });
    deployments.push({
      id: 1001 + i, ref: 'main', sha: '1111111111111111111111111111111111111111', environment,
      creator: i % 3 === 0 ? 'hubot' : 'mona', created_at: iso(at), description: `Deploy number ${i + 1}`, statuses,
    });
  }
  return {
    users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }, { login: 'hubot' }],
    tokens: [{ token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] }],
    repositories: [{
      owner: 'acme', name: 'hist', collaborators: { mona: 'write', hubot: 'write' },
      branches: [{ name: 'main', sha: '1111111111111111111111111111111111111111' }],
      environments: [{ name: 'production' }, { name: 'staging' }],
      deployments,
    }],
  };
}

/// Injected faults (`{ rate, kinds, stall_ms, path_contains, method, skip, limit }`, README) and latency, and
/// their reset. `faultState()` tells how many matching requests the fake saw and how many faults it injected.
export async function faults(value) {
  const answer = await fetch(`${FAKE}/_fake/faults`, { method: 'POST', body: JSON.stringify(value) });
  if (!answer.ok) throw new Error(`faults refused: ${await answer.text()}`);
}

export async function faultState() {
  return (await fetch(`${FAKE}/_fake/faults`)).json();
}

/// The fake's settings (README): e.g. `{ rate_limit_per_hour: 30, rate_limit_window_s: 6 }`.
export async function settings(value) {
  const answer = await fetch(`${FAKE}/_fake/settings`, { method: 'POST', body: JSON.stringify(value) });
  if (!answer.ok) throw new Error(`settings refused: ${await answer.text()}`);
}

export async function latency(ms) {
  await fetch(`${FAKE}/_fake/latency`, { method: 'POST', body: JSON.stringify({ ms }) });
}

/// REST's writes in a request log (a GraphQL query is a POST that reads).
export const writes = (log) => log.filter((r) => (r.method === 'POST' || r.method === 'DELETE') && r.path !== '/graphql');

/// The deployment a request's path names.
export const idOf = (path) => Number(path.match(/\/deployments\/(\d+)/)?.[1]);

/// A spec's hooks: each test starts against a calm fake holding `value`, and leaves it calm.
export function seedEachTest(test, value) {
  test.beforeEach(async () => {
    await calm();
    await seed(value);
  });
  test.afterEach(async () => {
    await calm();
  });
}

/// No faults, no latency, the fake's default settings (GraphQL on, the refined delete rule).
export async function calm() {
  await fetch(`${FAKE}/_fake/faults`, { method: 'DELETE' });
  await latency(0);
  await settings({});
}

/// acme/tidy (public), for the Cleanup view: 17 deployments (ids 3001…, oldest first) across production,
/// staging and a transient review environment, as auto-inactive leaves them: older successes inactive, the
/// newest success of each environment live, a failure and one deployment without any status.
export const TIDY = (() => {
  const day = Date.parse('2026-08-01T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  // [environment, final state, inactive afterwards]
  const plan = [
    ['production', 'success', true], ['staging', 'success', true], ['production', 'success', true],
    ['review/pr-7', 'success', true], ['staging', 'failure', false], ['production', 'failure', false],
    ['staging', 'success', true], ['review/pr-7', 'success', true], ['production', 'success', true],
    ['staging', 'success', true], ['review/pr-8', 'success', false], ['production', 'success', true],
    ['staging', null, false], ['staging', 'error', false], ['production', 'success', false],
    ['staging', 'success', false], ['review/pr-9', 'in_progress', false],
  ];
  const deployments = plan.map(([environment, state, inactive], i) => {
    const at = day + i * 86_400_000;
    const statuses = state ? [{ state, created_at: iso(at + 60_000) }] : [];
    if (inactive) statuses.push({ state: 'inactive', created_at: iso(at + 86_000_000) });
    return {
      id: 3001 + i, ref: i % 4 === 0 ? 'release/1.0' : 'main', sha: '1111111111111111111111111111111111111111', environment,
      transient_environment: environment.startsWith('review/'), production_environment: environment === 'production',
      creator: i % 3 === 0 ? 'hubot' : 'mona', created_at: iso(at), statuses,
    };
  });
  const latest = Object.fromEntries(deployments.map((d) => [d.id, d.statuses.at(-1)?.state ?? null]));
  return {
    seed: {
      users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }, { login: 'hubot' }],
      tokens: [{ token: SHOP_TOKEN, user: 'mona', scopes: ['repo'] }],
      repositories: [{
        owner: 'acme', name: 'tidy', collaborators: { mona: 'write', hubot: 'write' },
        branches: [{ name: 'main', sha: '1111111111111111111111111111111111111111' }],
        environments: [{ name: 'production' }, { name: 'staging' }],
        deployments,
      }],
    },
    deployments,
    /// Each deployment's latest state (`null`: no status).
    latest,
    /// The live production deployment (newest success there).
    liveProduction: 3015,
  };
})();
