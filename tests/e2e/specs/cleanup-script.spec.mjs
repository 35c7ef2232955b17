// Issue 20, items 5 and 6: the confirmation says how long the run takes at its pace, and "Download as a
// script" gives the reviewed plan as a POSIX shell script. Here the downloaded script runs (dash, curl) against
// the e2e fake with GitHub's secondary limits on and faults injected: the writes GitHub accepted are exactly
// the plan's, in its order, a pause apart; a refused or lost request is sent again after the wait GitHub asks
// for; a run stopped midway resumes without sending anything twice; the token is read from GITHUB_TOKEN only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures.mjs';
import { CleanupPage } from '../pages/cleanup-page.mjs';
import { saveScript, runScript, shellcheck } from '../support/script.mjs';
import { api, seed, requests, clearRequests, faults, latency, settings, TIDY, SHOP_TOKEN, writes, idOf, seedEachTest } from '../support/fake.mjs';

seedEachTest(test, TIDY.seed);

const stepOf = (r) => `${r.method === 'POST' ? 'inactive' : 'delete'} ${idOf(r.path)}`;
const remaining = async () => (await api('/repos/acme/tidy/deployments?per_page=100', SHOP_TOKEN)).body.map((d) => d.id).sort();

/// Reviews every deployment but production's live one (a second apart when `spacing` is typed) and
/// downloads the script: its text, the steps it lists, and where it was saved.
async function downloadScript(page, { spacing } = {}) {
  const cleanup = new CleanupPage(page);
  await cleanup.open('acme/tidy', SHOP_TOKEN);
  await cleanup.selectAll();
  await cleanup.review.click();
  const button = page.getByTestId('download-script');
  await expect(button, 'held back until the repository is typed, as Start is').toBeDisabled();
  await cleanup.confirmLive();
  if (spacing !== undefined) await page.getByLabel('Pause between changes (ms, 0 for none)').fill(String(spacing));
  const file = page.waitForEvent('download');
  await button.click();
  const download = await file;
  expect(download.suggestedFilename()).toBe('deploydeck-cleanup-acme-tidy.sh');
  const script = await saveScript(download);
  await expect(page.getByTestId('script-status')).toContainText('Saved as deploydeck-cleanup-acme-tidy.sh.');
  return script;
}

test('the confirmation says how long the run takes; the script makes exactly the plan\'s writes under GitHub\'s secondary limits, waiting when told to', async ({ page }) => {
  test.setTimeout(120_000);
  await settings({ secondary_limits: true });
  const script = await downloadScript(page, { spacing: 1000 });
  await expect(page.getByTestId('confirm-duration')).toHaveText(
    /^At the pace set here this run takes about \d+ s for 16 deletions and 1 “inactive” status, plus any wait GitHub asks for\.$/);
  await expect(page.getByTestId('script')).toContainText('(1 s after each request)');

  // The plan's writes: 3016 (the newest success of staging) gets its status first; every other one goes as it is.
  const planned = TIDY.deployments.map((d) => d.id).filter((id) => id !== TIDY.liveProduction).reverse();
  expect(script.steps).toEqual(planned.flatMap((id) => (id === 3016 ? ['inactive 3016', 'delete 3016'] : [`delete ${id}`])));
  expect(script.text).toContain('\nGAP=1\nSTATUS_GAP=1\n');
  expect(script.text).not.toContain(SHOP_TOKEN);
  const check = shellcheck(script);
  expect(check.status, `shellcheck: ${check.said}`).toBe(0);

  // Nothing without a token, and nothing with a refused one.
  await clearRequests();
  const unset = await runScript(script, {});
  expect(unset.code).toBe(2);
  expect(unset.lines.join('\n')).toContain('GITHUB_TOKEN is not set. Export a token that may write deployments on acme/tidy');
  const refused = await runScript(script, { GITHUB_TOKEN: 't-nobody' });
  expect(refused.code).toBe(1);
  expect(refused.lines.at(-1)).toContain('[1/17] delete 3017: GitHub refused the token (401: Bad credentials). Export a working token in GITHUB_TOKEN');
  expect(writes(await requests()).map((r) => r.status)).toEqual([401]);

  // GitHub's hourly limit used up at the third deletion, until a reset 2 s away.
  await clearRequests();
  await faults({ rate: 1, kinds: ['rate_limit'], reset_s: 2, method: 'DELETE', skip: 2, limit: 1 });
  const first = await runScript(script, { GITHUB_TOKEN: SHOP_TOKEN });
  expect(first.code, first.lines.join('\n')).toBe(0);
  expect(first.lines.some((l) => /waiting \d+ s: the token's hourly rate limit is used up until it resets; then the same request again$/.test(l)), first.lines.join('\n')).toBe(true);
  expect(first.lines.filter((l) => /^\S+ \[\d+\/17\] /.test(l) && !l.includes('waiting'))).toHaveLength(17);
  expect(first.lines.at(-1)).toMatch(/Every step of the plan is done\./);

  const log = writes(await requests());
  const accepted = log.filter((r) => r.status < 300 || r.status === 404);
  expect(accepted.map(stepOf), 'the writes GitHub accepted are the plan, in order').toEqual(script.steps);
  for (const r of accepted) expect(r.status).toBe(r.method === 'POST' ? 201 : 204);
  const limited = log.filter((r) => r.status === 403);
  expect(limited).toHaveLength(1);
  const again = log[log.indexOf(limited[0]) + 1];
  expect(stepOf(again), 'the limited request is sent again').toBe(stepOf(limited[0]));
  expect(again.started_ms - limited[0].ended_ms, 'after the reset').toBeGreaterThanOrEqual(1_000);
  for (let i = 1; i < log.length; i += 1) {
    expect(log[i].started_ms - log[i - 1].ended_ms, `a second between ${stepOf(log[i - 1])} and ${stepOf(log[i])}`).toBeGreaterThanOrEqual(950);
  }
  expect(await remaining()).toEqual([TIDY.liveProduction]);

  // Run again: every step is noted as done, nothing is sent.
  await clearRequests();
  const rerun = await runScript(script, { GITHUB_TOKEN: SHOP_TOKEN });
  expect(rerun.code).toBe(0);
  expect(rerun.lines.filter((l) => l.endsWith(': done by an earlier run'))).toHaveLength(17);
  expect(writes(await requests())).toEqual([]);
});

test('a script stopped midway resumes where it was: under the stricter delete rule, every deployment is deleted exactly once', async ({ page }) => {
  test.setTimeout(120_000);
  await settings({ delete_rule: 'not_inactive' });
  const script = await downloadScript(page, { spacing: 1000 });
  await clearRequests();

  // Stopped (as by Ctrl-C) once the fifth step is reported.
  const child = spawn('sh', [script.path], { cwd: script.dir, env: { PATH: process.env.PATH, GITHUB_TOKEN: SHOP_TOKEN } });
  let out = '';
  await new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/\[5\/17\] \S+ \d+: (deleted|"inactive" status posted)/.test(out)) child.kill('SIGINT');
    });
    child.on('close', resolve);
  });
  const before = writes(await requests()).length;
  expect(before).toBeGreaterThanOrEqual(5);
  expect(before, 'stopped well before the end').toBeLessThan(15);

  // And on the way, one answer lost to a 502: the same request again, 5 s later.
  await faults({ rate: 1, kinds: ['502'], method: 'DELETE', skip: 3, limit: 1 });
  const resumed = await runScript(script, { GITHUB_TOKEN: SHOP_TOKEN });
  expect(resumed.code, resumed.lines.join('\n')).toBe(0);
  expect(resumed.lines.filter((l) => l.endsWith(': done by an earlier run')).length).toBeGreaterThanOrEqual(5);
  // A deletion refused as active gets its inactive status and goes again, as in the browser.
  expect(resumed.lines.some((l) => l.includes('GitHub refused to delete it while active: an "inactive" status first, then the deletion again'))).toBe(true);

  const log = writes(await requests());
  const planned = TIDY.deployments.map((d) => d.id).filter((id) => id !== TIDY.liveProduction);
  for (const id of planned) {
    const deleted = log.filter((r) => r.method === 'DELETE' && idOf(r.path) === id && r.status === 204);
    expect(deleted, `deployment ${id} deleted once`).toHaveLength(1);
  }
  const lost = log.filter((r) => r.status === 502);
  expect(lost, resumed.lines.join('\n')).toHaveLength(1);
  expect(stepOf(log[log.indexOf(lost[0]) + 1]), 'the lost request is sent again').toBe(stepOf(lost[0]));
  expect(resumed.lines.some((l) => l.endsWith('no usable answer (502): the same request again in 5 s'))).toBe(true);
  expect(await remaining()).toEqual([TIDY.liveProduction]);
});

test('a run paused in the browser can be finished by a script of what is left; resumed afterwards, the browser finds it all gone', async ({ page }) => {
  test.setTimeout(120_000);
  const cleanup = new CleanupPage(page);
  await cleanup.startSlowRun('acme/tidy', SHOP_TOKEN);
  await expect(page.getByTestId('download-script'), 'offered only while paused').toHaveCount(0);
  await cleanup.pauseMidway();
  await latency(0);
  const sentHere = writes(await requests());

  const file = page.waitForEvent('download');
  await page.getByTestId('download-script').click();
  const rest = await saveScript(await file);
  await expect(page.getByTestId('script-status')).toContainText('Leave this run paused here');
  const { steps } = rest;
  const done = new Set(sentHere.filter((r) => r.method === 'DELETE').map((r) => idOf(r.path)));
  const planned = TIDY.deployments.map((d) => d.id).filter((id) => id !== TIDY.liveProduction).reverse();
  expect(steps, 'the script holds what the browser had not done, in order').toEqual(
    planned.filter((id) => !done.has(id)).flatMap((id) => (id === 3016 ? ['inactive 3016', 'delete 3016'] : [`delete ${id}`])));

  await clearRequests();
  const finished = await runScript(rest, { GITHUB_TOKEN: SHOP_TOKEN });
  expect(finished.code, finished.lines.join('\n')).toBe(0);
  expect(writes(await requests()).map(stepOf)).toEqual(steps);
  expect(await remaining()).toEqual([TIDY.liveProduction]);

  // Resumed here by mistake: each deletion answers 404, counted as already gone; nothing fails.
  await page.getByTestId('run-resume').click();
  await cleanup.expectFinished();
  await expect(cleanup.summary).toHaveText('16 of 16 done, 0 failed, 0 remaining');
});

test('the script never sends a refused request again at once: a reset already past backs off, a wait of years is cut to an hour', async ({ page }) => {
  const script = await downloadScript(page);
  // `sleep` stands in for the real one (the script calls it as a command): it notes each wait and returns.
  const stubs = mkdtempSync(join(tmpdir(), 'deploydeck-sleep-'));
  const slept = join(stubs, 'slept');
  writeFileSync(join(stubs, 'sleep'), `#!/bin/sh\necho "$1" >> '${slept}'\n`, { mode: 0o755 });
  const env = (state) => ({ GITHUB_TOKEN: SHOP_TOKEN, PATH: `${stubs}:${process.env.PATH}`, DEPLOYDECK_STATE: join(stubs, state) });
  const waits = (lines, why) => lines.map((l) => l.match(new RegExp(`waiting (\\d+) s: ${why}`))?.[1]).filter(Boolean).map(Number);

  // The primary limit refused twice, its reset in 1970 (what a clock far ahead sees): a minute, then two.
  await faults({ rate: 1, kinds: ['quota'], reset: '0', method: 'DELETE', limit: 2 });
  const past = await runScript(script, env('past.done'));
  expect(past.code, past.lines.join('\n')).toBe(0);
  expect(waits(past.lines, "the rate limit's reset time has already passed by this computer's clock")).toEqual([60, 120]);
  expect(readFileSync(slept, 'utf8').split('\n')).toEqual(expect.arrayContaining(['60', '120']));
  expect(await remaining()).toEqual([TIDY.liveProduction]);

  // A secondary limit asking to wait 2^64 - 1 seconds: an hour, then the same request again.
  await seed(TIDY.seed);
  await faults({ rate: 1, kinds: ['secondary'], retry_after: '18446744073709551615', method: 'DELETE', limit: 1 });
  const huge = await runScript(script, env('huge.done'));
  expect(huge.code, huge.lines.join('\n')).toBe(0);
  expect(waits(huge.lines, 'GitHub asked to wait \\(Retry-After\\), for more than an hour')).toEqual([3600]);
  expect(await remaining()).toEqual([TIDY.liveProduction]);
});
