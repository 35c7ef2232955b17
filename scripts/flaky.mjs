// The flake hunt (`make flaky`): runs the e2e suite — or the specs named — N times over (Playwright's
// --repeat-each), optionally with the machine's other cores kept busy, and prints each test's failures out of its
// runs, the flaky ones first, then a plain line. A test that ever fails here fails a landing at random one day.
//
// Usage: node scripts/flaky.mjs [--repeat N] [--busy] [spec …]     (N: 5 by default)
// Needs what `make e2e` needs: dist/ and dist-sub/ built (make build) and the fake's binary (make fake-bin).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
let repeat = 5;
let busy = false;
const specs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--repeat') repeat = Number(args[++i]);
  else if (args[i] === '--busy') busy = true;
  else specs.push(args[i]);
}
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error('flaky: --repeat takes a whole number of runs (at least 1)');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
if (!existsSync(join(root, 'dist/index.html')) || !existsSync(join(root, 'dist-sub/index.html'))) {
  console.error('flaky: no dist/ or dist-sub/: run make build first');
  process.exit(2);
}

// Busy loops on every core but one: what a shared CI machine does to timing.
const burners = busy
  ? Array.from({ length: Math.max(1, availableParallelism() - 1) }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
  : [];
const stop = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stop);

const out = join(mkdtempSync(join(tmpdir(), 'deploydeck-flaky-')), 'results.json');
console.log(`flaky: every e2e test ${repeat} times${busy ? ', the other cores kept busy' : ''}${specs.length ? ` (${specs.join(' ')})` : ''}`);
const run = spawnSync(
  'npx',
  ['playwright', 'test', '--config', 'tests/e2e/playwright.config.mjs', `--repeat-each=${repeat}`, '--reporter=line,json', ...specs],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out } },
);
stop();
if (!existsSync(out)) {
  console.error(`flaky: Playwright wrote no results (exit ${run.status})`);
  process.exit(2);
}

// Each test's runs and failures, from the JSON report's suites (nested by file and describe).
const tally = new Map();
const walk = (suite, path) => {
  // A describe's title names its own tests too (a file's suite, titled by the file, adds nothing).
  const here = suite.title && !suite.title.endsWith('.mjs') ? [...path, suite.title] : path;
  for (const spec of suite.specs ?? []) {
    const name = `${spec.file} › ${[...here, spec.title].join(' › ')}`;
    const entry = tally.get(name) ?? { runs: 0, failures: 0, errors: new Set() };
    for (const test of spec.tests) {
      for (const result of test.results) {
        entry.runs += 1;
        if (!['passed', 'skipped'].includes(result.status)) {
          entry.failures += 1;
          const first = (result.error?.message ?? result.status).split('\n')[0].replace(/\u001b\[[0-9;]*m/g, '');
          entry.errors.add(first.slice(0, 160));
        }
      }
    }
    tally.set(name, entry);
  }
  for (const child of suite.suites ?? []) walk(child, here);
};
for (const suite of JSON.parse(readFileSync(out, 'utf8')).suites) walk(suite, []);

const rows = [...tally].sort(([a, x], [b, y]) => y.failures - x.failures || a.localeCompare(b));
const flaky = rows.filter(([, t]) => t.failures > 0);
console.log('\nfailures/runs  test');
for (const [name, t] of rows) {
  if (t.failures > 0 || rows.length <= 60) console.log(`${String(t.failures).padStart(8)}/${String(t.runs).padEnd(4)}  ${name}`);
  for (const e of t.errors) console.log(`               ${e}`);
}
if (rows.length > 60) console.log(`… and ${rows.length - flaky.length} more tests that never failed`);
const runs = rows.reduce((n, [, t]) => n + t.runs, 0);
const failures = rows.reduce((n, [, t]) => n + t.failures, 0);
console.log(`\n${rows.length} tests, ${runs} runs: ${flaky.length} flaky, ${failures} failed runs`);
process.exit(failures === 0 ? 0 : 1);
