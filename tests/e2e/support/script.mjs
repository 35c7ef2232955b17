// The downloaded cleanup script, as the script specs use it: saved to a folder of its own, its steps read, run
// with sh to its end, checked by ShellCheck.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

/// Saves a download of the script: its text, the steps it lists, its folder and path.
export async function saveScript(download) {
  const dir = mkdtempSync(join(tmpdir(), 'deploydeck-script-'));
  const path = join(dir, 'cleanup.sh');
  await download.saveAs(path);
  const text = readFileSync(path, 'utf8');
  const steps = text.split("3<<'PLAN'\n")[1].split('PLAN\n')[0].trim().split('\n');
  return { text, steps, dir, path };
}

/// Runs the script to its end: its exit code and the lines it printed.
export function runScript({ dir, path }, env) {
  return new Promise((resolve) => {
    const child = spawn('sh', [path], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, lines: out.trim().split('\n') }));
  });
}

/// ShellCheck's verdict (POSIX sh): its exit status and what it said.
export function shellcheck({ path }) {
  const check = spawnSync('shellcheck', ['-s', 'sh', path], { encoding: 'utf8' });
  return { status: check.status, said: `${check.stdout}${check.error ?? ''}` };
}
