// Size report of a built dist/: raw, gzip (level 9) and brotli (quality 11) bytes of every wasm, js, css and
// html file, and the first-load transfer (what a browser fetches to show the first screen: the page, the boot
// script, the JS module, the wasm and the stylesheet). Usage: node scripts/size-report.mjs [dist] [budget-KB]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const budgetKB = Number(process.argv[3] ?? 160);
const kinds = new Set(['.wasm', '.js', '.css', '.html']);
const rows = readdirSync(dist)
  .filter((f) => statSync(join(dist, f)).isFile() && kinds.has(extname(f)))
  .sort()
  .map((file) => {
    const bytes = readFileSync(join(dist, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      firstLoad: file === 'index.html' || file === 'boot.js' || /^deploydeck-[0-9a-f]+(_bg\.wasm|\.js)$/.test(file) || /^main-[0-9a-f]+\.css$/.test(file),
    };
  });
const pad = (s, n) => String(s).padStart(n);
console.log(`${'file'.padEnd(40)} ${pad('raw', 10)} ${pad('gzip', 10)} ${pad('brotli', 10)}  first load`);
for (const r of rows) console.log(`${r.file.padEnd(40)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}  ${r.firstLoad ? 'yes' : ''}`);
const total = (key) => rows.filter((r) => r.firstLoad).reduce((s, r) => s + r[key], 0);
const gz = total('gzip');
console.log(`${'first-load total'.padEnd(40)} ${pad(total('raw'), 10)} ${pad(gz, 10)} ${pad(total('brotli'), 10)}`);
console.log(`first-load gzip: ${(gz / 1024).toFixed(1)} KB against a budget of ${budgetKB} KB: ${gz <= budgetKB * 1024 ? 'within' : 'OVER'}`);
