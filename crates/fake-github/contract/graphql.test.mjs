// fake-github's GraphQL over HTTP, checked against GitHub's published schema (npm @octokit/graphql-schema,
// schema.graphql) with graphql-js: every document is valid against the schema, and every answer type-checks —
// executed with the answer as the root value, so a wrong enum value, a null in a non-null field or a field the
// schema does not have fails (docs/github-api.md §13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, execute, GraphQLError } from 'graphql';
import { startFake } from './helpers.mjs';

let cachedSchema;
/** GitHub's schema. Its SDL defines one field twice, hence assumeValidSDL; `databaseId` values pass 2^31
 * on github.com, so Int accepts any safe integer (the schema's Int is 32-bit on paper). */
function schema() {
  if (cachedSchema) return cachedSchema;
  const sdl = readFileSync(new URL('schema.graphql', import.meta.resolve('@octokit/graphql-schema')), 'utf8');
  cachedSchema = buildSchema(sdl, { assumeValidSDL: true });
  const int = cachedSchema.getType('Int');
  int.serialize = (value) => {
    if (Number.isSafeInteger(value)) return value;
    throw new GraphQLError(`Int cannot represent non-integer value: ${JSON.stringify(value)}`);
  };
  return cachedSchema;
}

const PREFIX_TYPES = [['DES_', 'DeploymentStatus'], ['DE_', 'Deployment'], ['R_', 'Repository'], ['REF_', 'Ref']];

/** Type-checks `data` as the answer to `document`: the errors graphql-js finds (none when it conforms). */
export function typeCheck(document, data, variables = {}) {
  const result = execute({
    schema: schema(),
    document: parse(document),
    variableValues: variables,
    rootValue: data,
    fieldResolver: (source, _args, _ctx, info) => source?.[info.path.key],
    typeResolver: (value) => value?.__typename ?? PREFIX_TYPES.find(([p]) => String(value?.id).startsWith(p))?.[1],
  });
  return (result.errors ?? []).map((e) => e.message);
}

/** The documents sent below: each must be valid against GitHub's schema. */
const DOCUMENTS = {
  page: `query Page($owner: String!, $name: String!, $after: String) {
    repository(owner: $owner, name: $name) {
      deployments(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id databaseId environment state createdAt creator { __typename login } latestStatus { id state createdAt description environmentUrl logUrl } }
      }
    }
    rateLimit { cost limit remaining resetAt used nodeCount }
  }`,
  states: `query States($ids: [ID!]!) {
    nodes(ids: $ids) { __typename ... on Deployment { id databaseId state commitOid task payload originalEnvironment latestEnvironment ref { name prefix } latestStatus { state } } }
  }`,
  statuses: `query Statuses($owner: String!, $name: String!) {
    repository(owner: $owner, name: $name) {
      deployments(last: 5) { edges { cursor node { id statuses(first: 10) { totalCount nodes { id state createdAt updatedAt creator { __typename login } } } } } }
    }
  }`,
  remove: `mutation Remove($a: ID!, $b: ID!) {
    a: deleteDeployment(input: {id: $a}) { clientMutationId }
    b: deleteDeployment(input: {id: $b, clientMutationId: "b"}) { clientMutationId }
  }`,
};

async function graphql(base, document, variables, token = 'demo-token') {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { Authorization: `bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** Every document the client can send, as deploydeck-core lists them (`graphql::documents`; its unit test
 * writes them to target/graphql-documents.json, and `make test` runs core's tests before these). */
function clientDocuments() {
  const file = new URL('../../../target/graphql-documents.json', import.meta.url);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file.pathname} is missing: run cargo test -p deploydeck-core first (make test does)`);
  }
}

test('every document the client can send, and every one sent below, is valid against GitHub’s schema', () => {
  const client = clientDocuments();
  assert.ok(Object.keys(client).length >= 2, 'core lists its documents');
  for (const [name, document] of Object.entries({ ...client, ...DOCUMENTS })) {
    assert.deepEqual(validate(schema(), parse(document)).map((e) => e.message), [], name);
  }
});

test('the fake’s answers to the client’s own documents conform to GitHub’s schema', async () => {
  const client = clientDocuments();
  const fake = await startFake(['--demo']);
  try {
    const page = await graphql(fake.base, DOCUMENTS.page, { owner: 'acme', name: 'storefront', after: null });
    const nodes = page.json.data.repository.deployments.nodes;
    const ids = [...nodes.slice(0, 99).map((n) => n.id), 'DE_kwDOHrjKxM4FFFF'];
    const states = await graphql(fake.base, client.DeploymentStates, { ids });
    assert.equal(states.json.data.nodes.length, 100);
    assert.equal(states.json.data.nodes[99], null, 'an unknown id is null in its place');
    assert.equal(states.json.errors[0].type, 'NOT_FOUND');
    assert.deepEqual(typeCheck(client.DeploymentStates, states.json.data, { ids }), []);
    const inactive = nodes.filter((n) => n.state === 'INACTIVE' || n.state === 'DESTROYED').map((n) => n.id);
    const pair = { d0: inactive[0], d1: inactive[1] };
    const removed = await graphql(fake.base, client.DeleteDeployments, pair);
    assert.deepEqual(removed.json, { data: { d0: { clientMutationId: null }, d1: { clientMutationId: null } } });
    assert.deepEqual(typeCheck(client.DeleteDeployments, removed.json.data, pair), []);
    // The fleet: two repositories in one document (one unknown: null in its place), then older environments.
    const fleetVars = { o0: 'acme', n0: 'storefront', o1: 'acme', n1: 'nope' };
    const fleet = await graphql(fake.base, client.Fleet, fleetVars);
    assert.equal(fleet.json.data.r1, null);
    assert.equal(fleet.json.errors[0].type, 'NOT_FOUND');
    assert.ok(fleet.json.data.r0.environments.nodes.length >= 3, 'the demo repository has environments');
    assert.ok(fleet.json.data.r0.environments.nodes.some((e) => e.latestCompletedDeployment), 'one has a completed deployment');
    assert.deepEqual(typeCheck(client.Fleet, fleet.json.data, fleetVars), []);
    const olderVars = { o0: 'acme', n0: 'storefront', e0: 'production', e1: 'staging', o1: 'acme', n1: 'docs', e2: 'github-pages' };
    const older = await graphql(fake.base, client.FleetOlder, olderVars);
    assert.equal(older.json.errors, undefined, JSON.stringify(older.json.errors));
    assert.ok(older.json.data.r0.e0.nodes.every((n) => n.environment === 'production'));
    assert.deepEqual(typeCheck(client.FleetOlder, older.json.data, olderVars), []);
    // Insights: a repository's deployments with their statuses, a page at a time.
    const insightsVars = { owner: 'acme', name: 'storefront', after: null };
    const insights = await graphql(fake.base, client.Insights, insightsVars);
    assert.equal(insights.json.errors, undefined, JSON.stringify(insights.json.errors));
    const deployments = insights.json.data.repository.deployments;
    assert.equal(deployments.nodes.length, 100);
    assert.ok(deployments.pageInfo.hasNextPage && deployments.pageInfo.endCursor, 'the demo has more than a page');
    assert.ok(deployments.nodes.some((n) => n.statuses.nodes.length > 1), 'statuses come with each deployment');
    assert.deepEqual(typeCheck(client.Insights, insights.json.data, insightsVars), []);
    // The first page also names the repository's environments (read side by side next), in the same shape.
    const firstVars = { owner: 'acme', name: 'storefront' };
    const first = await graphql(fake.base, client.InsightsFirst, firstVars);
    assert.equal(first.json.errors, undefined, JSON.stringify(first.json.errors));
    assert.deepEqual(first.json.data.repository.deployments, deployments, 'the same first page');
    assert.equal(first.json.data.repository.environments.nodes.length, 100, 'the demo repository has over 100: the first 100');
    assert.ok(first.json.data.repository.environments.nodes.every((e) => typeof e.name === 'string' && e.name));
    assert.deepEqual(typeCheck(client.InsightsFirst, first.json.data, firstVars), []);
    const next = await graphql(fake.base, client.Insights, { ...insightsVars, after: deployments.pageInfo.endCursor });
    assert.ok(next.json.data.repository.deployments.nodes[0].createdAt <= deployments.nodes[99].createdAt, 'newest first, page after page');
    // The fleet's insights: environment names of several repositories, then one environment's deployments.
    const namesVars = { o0: 'acme', n0: 'storefront', o1: 'acme', n1: 'payments-api' };
    const names = await graphql(fake.base, client.InsightsNames, namesVars);
    assert.equal(names.json.errors, undefined, JSON.stringify(names.json.errors));
    assert.ok(names.json.data.r1.environments.nodes.some((e) => e.name === 'production-eu'));
    assert.deepEqual(typeCheck(client.InsightsNames, names.json.data, namesVars), []);
    const oneVars = { owner: 'acme', name: 'storefront', environment: 'production', after: null };
    const one = await graphql(fake.base, client.InsightsOf, oneVars);
    assert.ok(one.json.data.repository.deployments.nodes.every((n) => n.environment === 'production'));
    assert.deepEqual(typeCheck(client.InsightsOf, one.json.data, oneVars), []);
  } finally {
    await fake.stop();
  }
});

test('the review inbox’s decisions in one document: each run answered on its own, refusals as REST words them, answers conform to the schema', async () => {
  const client = clientDocuments();
  const fake = await startFake(['--demo']);
  try {
    const rest = async (path) => (await fetch(`${fake.base}${path}`, { headers: { Authorization: 'bearer demo-token' } })).json();
    const runs = (await rest('/repos/acme/storefront/actions/runs?status=waiting')).workflow_runs;
    const byWho = (login) => runs.find((r) => r.actor.login === login);
    const [theirs, mine] = [byWho('mona'), byWho('octocat')];
    const env = async (run) => (await rest(`/repos/acme/storefront/actions/runs/${run.id}/pending_deployments`))[0].environment.node_id;
    const vars = { w0: theirs.node_id, e0: [await env(theirs)], w1: mine.node_id, e1: [await env(mine)], comment: 'Ship it' };
    const answer = await graphql(fake.base, client.ApproveRuns, vars);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json.data, { r0: { clientMutationId: null }, r1: null });
    assert.deepEqual(answer.json.errors.map((e) => [e.type, e.path]), [['UNPROCESSABLE', ['r1']]]);
    assert.match(answer.json.errors[0].message, /self-review is prevented/);
    assert.deepEqual(typeCheck(client.ApproveRuns, answer.json.data, vars), []);
    const history = await rest(`/repos/acme/storefront/actions/runs/${theirs.id}/approvals`);
    assert.deepEqual(history.map((a) => [a.state, a.user.login, a.comment]), [['approved', 'octocat', 'Ship it']]);
    // Decided already: REST's words for a run that waits on nothing; an unknown run: GraphQL's NOT_FOUND.
    const again = await graphql(fake.base, client.RejectRuns, { w0: theirs.node_id, e0: vars.e0, comment: '' });
    assert.deepEqual([again.json.data.r0, again.json.errors[0].type], [null, 'UNPROCESSABLE']);
    assert.equal(again.json.errors[0].message, 'There are no pending deployment requests to approve or reject');
    const unknown = await graphql(fake.base, client.RejectRuns, { w0: 'WFR_kwLOABFFFFFF', e0: vars.e0, comment: '' });
    assert.equal(unknown.json.errors[0].type, 'NOT_FOUND');
  } finally {
    await fake.stop();
  }
});

test('the type check catches a wrong enum, a null where the schema forbids one and an unknown field', () => {
  const document = '{ node(id: "DE_1") { ... on Deployment { id state createdAt } } }';
  const good = { node: { __typename: 'Deployment', id: 'DE_1', state: 'ACTIVE', createdAt: '2026-01-01T00:00:00Z' } };
  assert.deepEqual(typeCheck(document, good), []);
  assert.match(typeCheck(document, { node: { ...good.node, state: 'active' } }).join(), /Enum "DeploymentState" cannot represent value: "active"/);
  assert.match(typeCheck(document, { node: { ...good.node, createdAt: null } }).join(), /Cannot return null for non-nullable field Deployment.createdAt/);
  assert.match(validate(schema(), parse('{ node(id: "x") { ... on Deployment { mergeQueueEntry } } }')).map((e) => e.message).join(), /Cannot query field "mergeQueueEntry" on type "Deployment"/);
});

test('the fake’s answers conform to GitHub’s schema: pages, states by id, statuses, deletes', async () => {
  const fake = await startFake(['--demo']);
  try {
    const vars = { owner: 'acme', name: 'storefront', after: null };
    const page = await graphql(fake.base, DOCUMENTS.page, vars);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-ratelimit-resource'), 'graphql');
    assert.equal(page.headers.get('etag'), null);
    assert.equal(page.json.errors, undefined, JSON.stringify(page.json.errors));
    assert.deepEqual(typeCheck(DOCUMENTS.page, page.json.data, vars), []);
    const nodes = page.json.data.repository.deployments.nodes;
    assert.equal(nodes.length, 100);
    const ids = nodes.slice(0, 40).map((n) => n.id);
    const states = await graphql(fake.base, DOCUMENTS.states, { ids });
    assert.deepEqual(typeCheck(DOCUMENTS.states, states.json.data, { ids }), []);
    assert.deepEqual(states.json.data.nodes.map((n) => n.id), ids);
    const statuses = await graphql(fake.base, DOCUMENTS.statuses, vars);
    assert.deepEqual(typeCheck(DOCUMENTS.statuses, statuses.json.data, vars), []);
    // Two deletes in one document: an inactive one goes; each answer conforms (a refused one is null).
    const inactive = nodes.filter((n) => n.state === 'INACTIVE' || n.state === 'DESTROYED').map((n) => n.id);
    const pair = { a: inactive[0], b: inactive[1] };
    const remove = await graphql(fake.base, DOCUMENTS.remove, pair);
    assert.deepEqual(remove.json.data, { a: { clientMutationId: null }, b: { clientMutationId: 'b' } });
    assert.deepEqual(typeCheck(DOCUMENTS.remove, remove.json.data, pair), []);
  } finally {
    await fake.stop();
  }
});

test('--graphql off answers 404; --graphql no-cors answers without CORS headers', async () => {
  for (const [mode, check] of [
    ['off', (res) => assert.equal(res.status, 404)],
    ['no-cors', (res) => { assert.equal(res.status, 200); assert.equal(res.headers.get('access-control-allow-origin'), null); }],
  ]) {
    const fake = await startFake(['--demo', '--graphql', mode]);
    try {
      check(await graphql(fake.base, '{ rateLimit { cost } }', {}));
    } finally {
      await fake.stop();
    }
  }
});
