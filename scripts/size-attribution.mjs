// What the shipped bytes are (issue 30): for the first load and each on-demand screen, what a cold open fetches
// (the screen's module and every shared chunk it needs, as gzip; from a deep link, with the repository frame's),
// and the largest contributors to each by crate and by function — measured with twiggy on wasm-split's output,
// which still carries the function names (the shipped files lose them to wasm-bindgen and wasm-opt; shares are
// of the code before wasm-opt, which shrinks every crate alike, roughly).
//
// Usage: node scripts/size-attribution.mjs [dist] [split-dir] [out-file]
//   dist       the built app (make build): the shipped files, for their gzip sizes
//   split-dir  wasm-split's output kept by scripts/build-app.sh (target/app-split/attribution)
//   out-file   where the report goes (target/size-attribution.md); it is also printed
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { sections } from './wasm-sections.mjs';

const dist = process.argv[2] ?? 'dist';
const splitDir = process.argv[3] ?? 'target/app-split/attribution';
const out = process.argv[4] ?? 'target/size-attribution.md';
const twiggy = join(process.env.HOME ?? '', '.cargo/bin/twiggy');
if (!existsSync(splitDir)) {
  console.error(`size-attribution: no ${splitDir} (make build keeps wasm-split's output there)`);
  process.exit(1);
}
if (!existsSync(twiggy)) {
  console.error('size-attribution: twiggy is not installed (scripts/setup-app.sh installs it)');
  process.exit(1);
}
const pkg = readdirSync(dist).find((f) => /^pkg-[0-9a-f]+$/.test(f));
// A shipped file's gzip size (0 if there is none), gzipped once: the same chunks, the app and the frame count
// toward many screens.
const gzipped = new Map();
const shipped = (file) => {
  if (!gzipped.has(file)) {
    const path = join(dist, pkg, file);
    gzipped.set(file, existsSync(path) ? gzipSync(readFileSync(path), { level: 9 }).length : 0);
  }
  return gzipped.get(file);
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

// Which chunks each screen needs: the loader's comment above each chunk lists the screens that use it.
const loader = readFileSync(join(splitDir, '__wasm_split.js'), 'utf8');
const needs = new Map();
for (const m of loader.matchAll(/\/\* ([a-z_, ]+) \*\/\s*const __(chunk_\d+)/g)) {
  for (const screen of m[1].split(',').map((s) => s.trim())) {
    if (!needs.has(screen)) needs.set(screen, new Set());
    needs.get(screen).add(m[2]);
  }
}
const screens = readdirSync(splitDir).filter((f) => /^split_.*\.wasm$/.test(f)).map((f) => f.replace(/^split_|\.wasm$/g, '')).sort();

/// A crate for an item name: the first path of `<A as B>::f` that is not the standard library's, else `A`'s.
function crateOf(item) {
  if (/^(data segment|custom section|"function names"|type\[|import |export |table\[|elem\[|global\[|memory\[)/.test(item)) return '(data and tables)';
  const paths = [...item.matchAll(/([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/g)].map((m) => m[1]);
  const ours = paths.find((p) => !['core', 'alloc', 'std', '_'].includes(p));
  return ours ?? paths[0] ?? '(unnamed)';
}

const itemsOf = new Map();
/// Every item of a module with its size (twiggy, CSV), names and custom sections left out (read once a file).
function items(file) {
  if (!itemsOf.has(file)) itemsOf.set(file, readItems(file));
  return itemsOf.get(file);
}

function readItems(file) {
  const csv = execFileSync(twiggy, ['top', '-n', '1000000', '--format', 'csv', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return csv.split('\n').slice(1).filter(Boolean).map((line) => {
    const match = line.match(/^"?(.*?)"?,(\d+),/);
    return match ? { name: match[1].replace(/""/g, '"'), bytes: Number(match[2]) } : null;
  }).filter((i) => i && !/^(custom section|"function names"|\.\.\. and|Σ)/.test(i.name));
}

function describe(title, files, shippedGzip) {
  const all = files.flatMap((f) => items(join(splitDir, f)));
  const total = all.reduce((s, i) => s + i.bytes, 0);
  const byCrate = new Map();
  for (const i of all) byCrate.set(crateOf(i.name), (byCrate.get(crateOf(i.name)) ?? 0) + i.bytes);
  const crates = [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const functions = [...all].sort((a, b) => b.bytes - a.bytes).slice(0, 10);
  const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
  const short = (name) => name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 110);
  return [
    `### ${title}: ${kb(shippedGzip)} gzip as fetched`,
    '',
    `By crate (share of ${kb(total)} of code and data before wasm-opt): ${crates.map(([c, n]) => `${c} ${pct(n)}`).join(', ')}.`,
    '',
    'Largest functions and data:',
    '',
    ...functions.map((f) => `- ${pct(f.bytes)} ${short(f.name)}`),
    '',
  ].join('\n');
}

const lines = ['# Where the bytes are', '', `Measured on ${pkg} (make build), ${new Date().toISOString().slice(0, 10)}.`, ''];
const firstLoad = shipped('deploydeck_bg.wasm');
lines.push(describe('First load (the app module)', ['deploydeck.wasm'], firstLoad));
const summary = [];
const frame = needs.get('repo_screen') ?? new Set();
/// What a screen's first open fetches as shipped: its pack, or its own module when it has none (the app).
const packOrModule = (s) => shipped(`pack_${s}.wasm`) || shipped(`split_${s}.wasm`);
for (const screen of screens) {
  const chunks = [...(needs.get(screen) ?? [])].sort();
  const gzip = shipped(`split_${screen}.wasm`) + chunks.reduce((s, c) => s + shipped(`${c}.wasm`), 0);
  // From a deep link: the repository frame too, each shared chunk once.
  const withFrame = new Set([...chunks, ...frame]);
  const deep = screen === 'repo_screen' ? gzip
    : shipped(`split_${screen}.wasm`) + shipped('split_repo_screen.wasm') + [...withFrame].reduce((s, c) => s + shipped(`${c}.wasm`), 0);
  // As fetched: its pack (its module and the chunks beyond the app's and the frame's); on a deep link, with the
  // app's and the frame's packs.
  const pack = shipped(`pack_${screen}.wasm`);
  const base = ['app_root', 'repo_screen'].filter((s) => s !== screen).reduce((sum, s) => sum + packOrModule(s), 0);
  const deepPacked = screen === 'app_root' ? packOrModule(screen) : pack + base;
  summary.push(`| ${screen} | ${kb(shipped(`split_${screen}.wasm`))} | ${chunks.length} chunks | ${kb(gzip)} | ${kb(deep)} | ${kb(pack)} | ${kb(deepPacked)} |`);
  lines.push(describe(`${screen} (its module and the ${chunks.length} chunks it needs)`, [`split_${screen}.wasm`, ...chunks.map((c) => `${c}.wasm`)], gzip));
}
const demoPath = join(dist, 'demo/deploydeck_demo_bg.wasm');
const table = [
  '## Summary',
  '',
  `First load: the app module ${kb(firstLoad)} gzip (the page, its stylesheet and scripts come on top: make build's size report).`,
  `Its sections as shipped (after wasm-opt; raw / gzip each alone): ${sectionSizes(join(dist, pkg, 'deploydeck_bg.wasm'))}.`,
  existsSync(demoPath) ? `The demo module: ${kb(gzipSync(readFileSync(demoPath), { level: 9 }).length)} gzip (fetched only when the demo is chosen).` : '',
  '',
  '| screen | its module | shared chunks | a first open (module + chunks) | from a deep link (+ the repository frame) | its pack, from the app and the frame | a deep link, as packs (+ the app and the frame) |',
  '|---|---|---|---|---|---|---|',
  ...summary,
  '',
];
lines.splice(4, 0, ...table);
const report = lines.join('\n');
writeFileSync(out, report);
console.log(report);

/// "code 324.4 / 116.3 KB, data 31.6 / 16.6 KB, …" for a module's sections, largest first (what flags cannot
/// reach: the data every screen's strings leave in the app module, the table's elements, the imports).
function sectionSizes(path) {
  const names = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'elem', 'code', 'data', 'datacount'];
  const bytes = readFileSync(path);
  const found = sections(bytes).map((s) => ({
    name: names[s.id] ?? `section ${s.id}`,
    raw: s.end - s.body,
    gzip: gzipSync(bytes.subarray(s.body, s.end), { level: 9 }).length,
  }));
  return found
    .filter((f) => f.raw >= 1024)
    .sort((a, b) => b.gzip - a.gzip)
    .map((f) => `${f.name} ${(f.raw / 1024).toFixed(1)} / ${kb(f.gzip)}`)
    .join(', ');
}
