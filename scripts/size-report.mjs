// Size report of a built dist/: raw, gzip (level 9) and brotli (quality 11) bytes of every wasm, js, css and
// html file (demo/ and snippets/ included), and the first-load transfer (what a browser fetches to show the
// first screen: the page, the boot script, the stylesheet and the first module in pkg-HASH/ with its JS; the
// on-demand modules pkg-HASH/split_*.wasm (and chunk_*.wasm, code they share; pack_*.wasm, a screen's module with
// the chunks it needs beyond the app's and the repository frame's) are fetched when first needed — the app
// itself (split_app_root.wasm) once the page wants it (public/boot.js), demo/ only when the demo is
// chosen, and each is reported on its own). Two budgets, each failing the build when exceeded: the first load's,
// and that of the first load with the app (what a new visitor's browser fetches in its first seconds).
// Usage: node scripts/size-report.mjs [dist] [budget-KB] [with-the-app-budget-KB]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const budgetKB = Number(process.argv[3] ?? 160);
const withAppKB = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const kinds = new Set(['.wasm', '.js', '.css', '.html']);
const walk = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
const rows = walk(dist)
  .filter((f) => kinds.has(extname(f)) && !f.endsWith('404.html'))
  .map((f) => relative(dist, f))
  .sort()
  .map((file) => {
    const bytes = readFileSync(join(dist, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      // pkg-HASH/ holds the app (scripts/build-app.sh): its split_*.wasm chunks (and packs) load when a screen needs them.
      firstLoad: file === 'index.html' || file === 'boot.js' || /^main-[0-9a-f]+\.css$/.test(file) || (/^pkg-[0-9a-f]+\//.test(file) && !/\/(split|chunk|pack)_[^/]*\.wasm$/.test(file)),
      chunk: /^pkg-[0-9a-f]+\/(split|chunk|pack)_[^/]*\.wasm$/.test(file),
    };
  });
const pad = (s, n) => String(s).padStart(n);
console.log(`${'file'.padEnd(60)} ${pad('raw', 10)} ${pad('gzip', 10)} ${pad('brotli', 10)}  first load`);
for (const r of rows) console.log(`${r.file.padEnd(60)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}  ${r.firstLoad ? 'yes' : ''}`);
if (!rows.some((r) => r.firstLoad && r.file.endsWith('deploydeck_bg.wasm'))) {
  console.error(`size-report: no app module (pkg-HASH/deploydeck_bg.wasm) in ${dist}`);
  process.exit(1);
}
const total = (key) => rows.filter((r) => r.firstLoad).reduce((s, r) => s + r[key], 0);
const gz = total('gzip');
console.log(`${'first-load total'.padEnd(60)} ${pad(total('raw'), 10)} ${pad(gz, 10)} ${pad(total('brotli'), 10)}`);
const demo = rows.filter((r) => r.file.startsWith('demo/')).reduce((s, r) => s + r.gzip, 0);
for (const r of rows.filter((r) => r.chunk)) {
  const name = r.file.replace(/^.*\/|\.wasm$/g, '');
  const what = name.startsWith('chunk_') ? 'code shared by on-demand modules, fetched with the first of them'
    : name === 'split_app_root' ? 'the app, fetched after the first screen (at once for a deep link or a returning visitor, else once the first screen is painted or at the first interaction)'
    : name.startsWith('pack_') ? 'a screen\'s module and the chunks the app and the repository frame do not bring, in one file'
    : 'on-demand module, fetched when first needed';
  console.log(`${name}: ${what}: ${(r.gzip / 1024).toFixed(1)} KB gzip`);
}
if (demo) console.log(`demo module, fetched only when the demo is chosen: ${(demo / 1024).toFixed(1)} KB gzip`);
const app = rows.find((r) => r.file.endsWith('/split_app_root.wasm'));
if (app) {
  const both = gz + app.gzip;
  const against = withAppKB === undefined ? '' : ` against a budget of ${withAppKB} KB: ${both <= withAppKB * 1024 ? 'within' : 'OVER'}`;
  console.log(`the first load and the app: ${(both / 1024).toFixed(1)} KB gzip${against}`);
  if (withAppKB !== undefined && both > withAppKB * 1024) {
    console.error(`size-report: the first load with the app is over its budget by ${((both - withAppKB * 1024) / 1024).toFixed(1)} KB gzip`);
    process.exitCode = 1;
  }
}
console.log(`first-load gzip: ${(gz / 1024).toFixed(1)} KB against a budget of ${budgetKB} KB: ${gz <= budgetKB * 1024 ? 'within' : 'OVER'}`);
// The budget guards the first load: a build over it fails (make build, and so make test).
if (gz > budgetKB * 1024) {
  console.error(`size-report: the first load is over its budget by ${((gz - budgetKB * 1024) / 1024).toFixed(1)} KB gzip`);
  process.exitCode = 1;
}
