// acme/hostile: what anyone with push access can write into GitHub's deployment data (issue 8, item 2) —
// HTML and script, `javascript:` and `data:` URLs (plain and disguised), right-to-left overrides and
// zero-width characters, spreadsheet formulas, 10,000-character strings deeply nested JSON (120 levels: the fake, like the app,
// parses JSON at most 128 deep) — in descriptions, payloads,
// environment names, refs, task names, creator logins and URLs. Every payload that would run sets
// `window.__pwned`, so a test can also see that none ran.

export const HOSTILE_TOKEN = 't-hostile';

export const SCRIPT = `<script>window.__pwned = 'script'</script>`;
export const IMG = `<img src=x onerror="window.__pwned='img'">`;
export const SVG = `"><svg onload="window.__pwned='svg'">`;
export const JS_URL = `javascript:window.__pwned='href'`;
export const DATA_URL = `data:text/html,<script>window.__pwned='data'</script>`;
export const RTL = 'invoice\u202Egpj.exe\u202C';
export const ZERO_WIDTH = 'prod\u200Buction';
export const LONG = 'W'.repeat(10_000);
export const FORMULA = '=HYPERLINK("https://evil.example","click")';

/// `{"a": {"a": … "bottom" …}}`, `depth` objects deep.
export function nested(depth) {
  let value = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const SHA = 'abababababababababababababababababababab';
/// The commit before SHA: Create's preview of it lists SHA's commit as what would leave (issue 31).
export const OLDER_SHA = 'cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd';
/// Commit messages and author names are written by whoever pushes: SHA's carries all of it.
const HISTORY = [
  { sha: OLDER_SHA, message: 'The first commit', author: 'mona' },
  { sha: SHA, parent: OLDER_SHA, message: `${SCRIPT}${IMG} ${RTL}\n\n${LONG}`, author: `${SVG} ${ZERO_WIDTH}` },
];
const at = (day, minute = 0) => `2026-11-${String(day).padStart(2, '0')}T10:${String(minute).padStart(2, '0')}:00Z`;

export const HOSTILE_DEPLOYMENTS = [
  {
    id: 4001, ref: `${SCRIPT}${IMG}`, sha: SHA, task: `deploy:${SCRIPT}`, environment: IMG, creator: SVG, created_at: at(1),
    description: IMG, payload: { html: SCRIPT, link: JS_URL, data: DATA_URL },
    statuses: [
      { state: 'failure', created_at: at(1, 1), creator: SVG, description: SCRIPT, log_url: JS_URL, environment_url: DATA_URL },
    ],
  },
  {
    id: 4002, ref: LONG, sha: SHA, task: LONG, environment: LONG, creator: 'mona', created_at: at(2),
    description: LONG, payload: LONG,
    statuses: [
      { state: 'success', created_at: at(2, 1), description: LONG, log_url: `https://ci.example/${LONG}`, environment_url: ` JAVASCRIPT:window.__pwned='spaced'` },
    ],
  },
  {
    id: 4003, ref: RTL, sha: SHA, environment: ZERO_WIDTH, creator: 'mal\u202Elory', created_at: at(3),
    description: `${RTL} \u200B\u200C\u200D\u2060 ${ZERO_WIDTH}`, production_environment: true,
    statuses: [
      { state: 'in_progress', created_at: at(3, 1), description: RTL, log_url: 'java\tscript:window.__pwned=1', environment_url: '//evil.example/x' },
      { state: 'success', created_at: at(3, 2), description: 'ok', log_url: `https://evil.example/\u202Egnp.exe`, environment_url: 'vbscript:msgbox(1)' },
    ],
  },
  {
    id: 4004, ref: FORMULA, sha: SHA, environment: 'staging', creator: 'mona', created_at: at(4),
    description: '@SUM(1+1) and a deeply nested payload', payload: { deep: nested(120) },
    statuses: [{ state: 'success', created_at: at(4, 1), environment_url: DATA_URL, log_url: 'https://ci.example/4004' }],
  },
];

export const HOSTILE_SEED = {
  users: [{ login: 'acme', type: 'Organization' }, { login: 'mona' }, { login: SVG }, { login: 'mal\u202Elory' }],
  tokens: [{ token: HOSTILE_TOKEN, user: 'mona', scopes: ['repo'] }],
  repositories: [{
    owner: 'acme', name: 'hostile', description: SCRIPT, collaborators: { mona: 'admin' },
    branches: [{ name: 'main', sha: SHA }],
    history: HISTORY,
    environments: [{ name: IMG }, { name: LONG }, { name: ZERO_WIDTH }, { name: 'staging' }],
    deployments: HOSTILE_DEPLOYMENTS,
  }],
};

/// HOSTILE_SEED with a workflow run waiting for mona's review (issue 18): a hostile workflow name, title,
/// branch, actor and environment, for the Reviews view.
export const HOSTILE_REVIEWS_SEED = {
  ...HOSTILE_SEED,
  users: [...HOSTILE_SEED.users, { login: 'mal\u202Elory' }],
  repositories: [{
    ...HOSTILE_SEED.repositories[0],
    environments: [{ name: IMG, reviewers: ['mona'] }, { name: LONG }, { name: ZERO_WIDTH }, { name: 'staging' }],
    runs: [{ id: 990001, workflow: SCRIPT, title: `${IMG}${RTL}`, ref: `${SVG}${ZERO_WIDTH}`, actor: SVG, created_at: at(5), waits_on: [IMG] }],
  }],
};
