// What the benchmarks share: starting fake-github and the static server, and writing a seed file.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/// Starts `command` and resolves once it prints its first line (fake-github prints its base URL).
export function start(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', () => resolve(child));
  });
}

/// Writes `seed` (fake-github's seed format) to a temporary file and returns its path.
export function writeSeed(seed) {
  const file = join(mkdtempSync(join(tmpdir(), 'deploydeck-bench-')), 'seed.json');
  writeFileSync(file, JSON.stringify(seed));
  return file;
}
