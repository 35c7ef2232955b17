// The server binary's options and test knobs, over real HTTP(S).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http2 from 'node:http2';
import { BIN, startFake, call } from './helpers.mjs';

async function withFake(args, body) {
  const fake = await startFake(args);
  try {
    await body(fake);
  } finally {
    await fake.stop();
  }
}

const admin = async (base, method, path, body) => {
  const res = await fetch(`${base}/_fake/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
};

test('a browser-style preflight allows every header the app sends; other headers are flagged in the log', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo'], async ({ base }) => {
    // What deploydeck-core sends cross-origin (request::ALLOWED_REQUEST_HEADERS; Accept is safelisted).
    const appHeaders = ['authorization', 'content-type', 'if-none-match', 'x-github-api-version'];
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await fetch(`${base}/repos/acme/web/deployments`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://127.0.0.1:8080', 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': appHeaders.join(',') },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const allowed = res.headers.get('access-control-allow-headers').toLowerCase().split(',').map((h) => h.trim());
      for (const h of appHeaders) assert.ok(allowed.includes(h), `${h} is allowed`);
      assert.ok(res.headers.get('access-control-allow-methods').split(', ').includes(method));
      assert.equal(res.headers.get('access-control-max-age'), '86400');
    }
    await admin(base, 'DELETE', 'requests');
    await call(base, 'GET', '/repos/acme/web/deployments', { token: 't' });
    await call(base, 'GET', '/repos/acme/web/deployments', { token: 't', headers: { 'X-Request-Id': 'abc', 'Cache-Control': 'no-cache' } });
    const log = await admin(base, 'GET', 'requests');
    assert.deepEqual(log.map((e) => e.cors_violations), [[], ['x-request-id']]);
    assert.ok(log[1].header_names.includes('authorization'));
    assert.ok(!JSON.stringify(log).includes('Bearer'), 'the log keeps header names, never values');
  }));

test('the request log records method, path, query, status and times; it can be cleared', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo'], async ({ base }) => {
    await call(base, 'POST', '/repos/acme/web/deployments', { token: 't', body: { ref: 'main' } });
    await call(base, 'GET', '/repos/acme/web/deployments?per_page=5', { token: 't' });
    const log = await admin(base, 'GET', 'requests');
    assert.deepEqual(log.map((e) => [e.method, e.path, e.query, e.status]), [
      ['POST', '/repos/acme/web/deployments', '', 201],
      ['GET', '/repos/acme/web/deployments', 'per_page=5', 200],
    ]);
    for (const e of log) assert.ok(e.started_ms > 1.7e12 && e.ended_ms >= e.started_ms);
    assert.equal((await admin(base, 'GET', `requests?since=${log[0].seq}`)).length, 1);
    await admin(base, 'DELETE', 'requests');
    assert.equal((await admin(base, 'GET', 'requests')).length, 0);
  }));

test('--latency-ms holds every answer at least that long', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo', '--latency-ms', '150'], async ({ base }) => {
    const started = performance.now();
    const res = await call(base, 'GET', '/repos/acme/web', { token: 't' });
    assert.equal(res.status, 200);
    assert.ok(performance.now() - started >= 140, 'answered before the injected latency');
    const [entry] = await admin(base, 'GET', 'requests');
    assert.ok(entry.ended_ms - entry.started_ms >= 140);
  }));

test('--tls serves HTTP/2 over TLS with a self-signed certificate', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo', '--tls'], async ({ base }) => {
    assert.match(base, /^https:\/\/127\.0\.0\.1:\d+$/);
    const client = http2.connect(base, { rejectUnauthorized: false });
    try {
      const { status, alpn } = await new Promise((resolve, reject) => {
        const req = client.request({ ':path': '/repos/acme/web/deployments', authorization: 'Bearer t' });
        req.on('response', (headers) => resolve({ status: headers[':status'], alpn: client.alpnProtocol }));
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200);
      assert.equal(alpn, 'h2');
    } finally {
      client.close();
    }
  }));

test('--rate-limit counts down and refuses with GitHub\'s primary-limit answer', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo', '--rate-limit', '3'], async ({ base }) => {
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await call(base, 'GET', '/user', { token: 't' })).headers.get('x-ratelimit-remaining'));
    assert.deepEqual(seen, ['2', '1', '0']);
    const refused = await call(base, 'GET', '/user', { token: 't' });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
    assert.match(refused.json.message, /^API rate limit exceeded for user ID \d+\./);
    assert.equal((await call(base, 'GET', '/rate_limit', { token: 't' })).status, 200, '/rate_limit still answers');
  }));

test('--secondary-limits refuses the 81st content-creating request of a minute with Retry-After', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo', '--secondary-limits'], async ({ base }) => {
    const d = await call(base, 'POST', '/repos/acme/web/deployments', { token: 't', body: { ref: 'main' } });
    const statuses = [];
    for (let i = 0; i < 80; i++) {
      statuses.push((await call(base, 'POST', `/repos/acme/web/deployments/${d.json.id}/statuses`, { token: 't', body: { state: 'pending' } })).status);
    }
    assert.deepEqual(statuses.slice(0, 79), Array(79).fill(201));
    assert.equal(statuses[79], 403);
    const refused = await call(base, 'POST', `/repos/acme/web/deployments/${d.json.id}/statuses`, { token: 't', body: { state: 'pending' } });
    assert.equal(refused.status, 403);
    assert.match(refused.json.message, /^You have exceeded a secondary rate limit/);
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal((await call(base, 'GET', '/repos/acme/web/deployments', { token: 't' })).status, 200, 'reads are not content-creating');
  }));

test('faults: 502s, stalls and dropped connections, switched on and off at run time', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo', '--fault-rate', '1'], async ({ base }) => {
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['502'] });
    const bad = await call(base, 'GET', '/repos/acme/web', { token: 't' });
    assert.equal(bad.status, 502);
    assert.equal(bad.headers.get('access-control-allow-origin'), '*', 'a browser can read the 502');
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['drop'] });
    await assert.rejects(call(base, 'GET', '/repos/acme/web', { token: 't' }), 'a dropped connection is a network error');
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['stall'], stall_ms: 300 });
    const started = performance.now();
    assert.equal((await call(base, 'GET', '/repos/acme/web', { token: 't' })).status, 200);
    assert.ok(performance.now() - started >= 290, 'a stall holds the answer');
    await admin(base, 'DELETE', 'faults');
    assert.equal((await call(base, 'GET', '/repos/acme/web', { token: 't' })).status, 200);
    const faults = (await admin(base, 'GET', 'requests')).map((e) => e.fault);
    assert.deepEqual(faults, ['502', 'drop', 'stall', null]);
    const refused = await fetch(`${base}/_fake/faults`, { method: 'POST', body: JSON.stringify({ rate: 2 }) });
    assert.equal(refused.status, 400);
  }));

test('faults aimed at one request: cut bodies, bodies that are not JSON, a sign-in page, bare headers, and a quota used up mid-way', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo'], async ({ base }) => {
    const list = '/repos/acme/web/deployments';
    for (let i = 0; i < 3; i++) await call(base, 'POST', list, { token: 't', body: { ref: 'main', environment: `e${i}` } });
    const whole = await call(base, 'GET', `${list}?per_page=2&page=2`, { token: 't' });
    assert.equal(whole.status, 200);
    // Aimed by path and query: page 1 passes, page 2 is cut in half.
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['truncated'], path_contains: '&page=2', limit: 1 });
    assert.equal((await call(base, 'GET', `${list}?per_page=2&page=1`, { token: 't' })).json.length, 2);
    const cut = await call(base, 'GET', `${list}?per_page=2&page=2`, { token: 't' });
    assert.equal(cut.status, 200);
    assert.equal(cut.text, whole.text.slice(0, Math.floor(whole.text.length / 2)));
    assert.equal(cut.json, undefined, 'a cut body is not JSON');
    assert.equal((await call(base, 'GET', `${list}?per_page=2&page=2`, { token: 't' })).text, whole.text, 'limit: 1 fault only');
    const state = await admin(base, 'GET', 'faults');
    assert.deepEqual([state.seen, state.injected], [2, 1], 'two requests matched, one fault');

    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['invalid_json'] });
    const broken = await call(base, 'GET', list, { token: 't' });
    assert.equal(broken.status, 200);
    assert.match(broken.headers.get('content-type'), /json/);
    assert.equal(broken.json, undefined);
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['html'] });
    const page = await call(base, 'GET', list, { token: 't' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['bare'] });
    const bare = await call(base, 'GET', `${list}?per_page=1`, { token: 't' });
    assert.equal(bare.status, 200);
    assert.equal(bare.json.length, 1);
    for (const gone of ['link', 'etag', 'x-ratelimit-remaining', 'content-type']) assert.equal(bare.headers.get(gone), null, gone);
    assert.equal(bare.headers.get('access-control-allow-origin'), '*');

    // The quota runs out at the second matching request (skip: 1), for 2 seconds, then the window resets.
    await admin(base, 'POST', 'faults', { rate: 1, kinds: ['rate_limit'], reset_s: 2, method: 'GET', skip: 1, limit: 1 });
    assert.equal((await call(base, 'GET', list, { token: 't' })).status, 200);
    const limited = await call(base, 'GET', list, { token: 't' });
    assert.equal(limited.status, 403);
    assert.match(limited.json.message, /^API rate limit exceeded for user ID \d+/);
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    assert.ok(reset * 1000 - Date.now() <= 2_000 && reset * 1000 - Date.now() > -1_000, 'resets 2 s later');
    assert.equal((await call(base, 'POST', list, { token: 't', body: { ref: 'main' } })).status, 403, 'every request until then');
    await new Promise((r) => setTimeout(r, 2_200));
    assert.equal((await call(base, 'GET', list, { token: 't' })).status, 200, 'a new window');
    const refused = await fetch(`${base}/_fake/faults`, { method: 'POST', body: JSON.stringify({ rate: 1, kinds: ['gremlins'] }) });
    assert.equal(refused.status, 400);
  }));

test('reset restores the starting state; a posted seed replaces it', () =>
  withFake(['--repo', 'acme/web', '--token', 't=repo'], async ({ base }) => {
    await call(base, 'POST', '/repos/acme/web/deployments', { token: 't', body: { ref: 'main' } });
    await admin(base, 'POST', 'reset');
    assert.deepEqual((await call(base, 'GET', '/repos/acme/web/deployments', { token: 't' })).json, []);
    await admin(base, 'POST', 'seed', {
      repositories: [{ owner: 'other', name: 'repo', deployments: [{ ref: 'main', environment: 'qa', creator: 'mona', created_at: '2026-01-02T03:04:05Z', statuses: [{ state: 'success', created_at: '2026-01-02T03:05:00Z' }] }] }],
    });
    const list = await call(base, 'GET', '/repos/other/repo/deployments', { token: 't' });
    assert.equal(list.status, 200, 'command-line tokens still work after a seed');
    assert.deepEqual(list.json.map((d) => [d.environment, d.creator.login, d.created_at]), [['qa', 'mona', '2026-01-02T03:04:05Z']]);
    const bad = await fetch(`${base}/_fake/seed`, { method: 'POST', body: '{"repos": []}' });
    assert.equal(bad.status, 400);
  }));

test('--seed FILE loads users, tokens and history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-seed-'));
  const file = join(dir, 'seed.json');
  writeFileSync(file, JSON.stringify({
    tokens: [{ token: 'fine', user: 'mona', permissions: { deployments: 'write' }, repositories: ['o/r'] }],
    repositories: [{ owner: 'o', name: 'r', private: true, collaborators: { mona: 'write' } }],
  }));
  return withFake(['--seed', file], async ({ base }) => {
    assert.equal((await call(base, 'POST', '/repos/o/r/deployments', { token: 'fine', body: { ref: 'main' } })).status, 201);
    assert.equal((await call(base, 'GET', '/repos/o/r/deployments')).status, 404, 'private: invisible without a token');
  });
});

test('--demo serves months of history, with the demo token and command-line tokens', () =>
  withFake(['--demo', '--token', 'mine=repo'], async ({ base }) => {
    const first = await call(base, 'GET', '/repos/acme/storefront/deployments?per_page=100', { token: 'demo-token' });
    assert.equal(first.status, 200);
    const last = Number(first.headers.get('link').match(/page=(\d+)>; rel="last"/)[1]);
    assert.ok(last >= 2, 'more than 100 deployments');
    // One environment per preview: more than a page, so follow Link as a client must (§4).
    const names = [];
    let path = '/repos/acme/storefront/environments?per_page=100';
    while (path) {
      const page = await call(base, 'GET', path, { token: 'mine' });
      names.push(...page.json.environments.map((e) => e.name));
      const next = page.headers.get('link')?.match(/<([^>]+)>; rel="next"/)?.[1];
      path = next ? next.slice(base.length) : undefined;
    }
    assert.ok(names.length > 100, `${names.length} environments`);
    assert.ok(names.includes('production') && names.includes('staging') && names.some((n) => n.startsWith('preview/pr-')));
    assert.equal((await call(base, 'POST', '/repos/acme/docs/deployments', { token: 'mine', body: { ref: 'main', environment: 'github-pages' } })).status, 201);
  }));

test('bad options stop with a message and exit code 2', () => {
  for (const args of [['--token', 'novalue'], ['--fault-rate', '3'], ['--addr', 'nowhere'], ['--what']]) {
    const run = spawnSync(BIN, args, { encoding: 'utf8' });
    assert.equal(run.status, 2, args.join(' '));
    assert.ok(run.stderr.length > 0);
  }
});
