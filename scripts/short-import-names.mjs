// Shortens the names the app module imports its JavaScript by (issue 30: the first load). wasm-bindgen names each
// of the ~190 functions the module imports from its glue after the Rust item plus a 16-hex hash
// (`__wbg_addEventListener_847fd86b8c33ec43`), and writes each name twice — in the module's import section and as
// a key of the glue's import object — where random hex compresses badly. This gives each a short name (`a`, `b`, …,
// `a0`, …) in both places. Only the glue's own module ("./deploydeck_bg.js") is renamed; the split loader's and
// the chunks' imports are left as they are.
//
// Fails, leaving the files alone, unless every renamed name occurs exactly once in the glue as an object key — so
// a new wasm-bindgen whose glue differs is looked at rather than shipped broken. Every screen's e2e test loads
// the renamed module through the renamed glue.
// Usage: node scripts/short-import-names.mjs PKG_DIR (after wasm-bindgen and terser; before or after wasm-opt)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { encodeName, leb, sections, writeLeb } from './wasm-sections.mjs';

const dir = process.argv[2];
const wasmFile = join(dir, 'deploydeck_bg.wasm');
const jsFile = join(dir, 'deploydeck.js');
const GLUE = './deploydeck_bg.js';

const wasm = readFileSync(wasmFile);
let js = readFileSync(jsFile, 'utf8');

// ----- The module: its sections, and the import section's entries -----
function name(bytes, at) {
  const [length, from] = leb(bytes, at);
  return [bytes.subarray(from, from + length).toString('utf8'), from + length];
}

if (wasm.readUInt32LE(0) !== 0x6d736100) fail('not a WebAssembly module');
const importSection = sections(wasm).find((section) => section.id === 2);
if (!importSection) fail('no import section');

// Each entry: module name, field name, then its description kept as bytes (kind and type; see the spec's
// binary format: func 0x00 typeidx, table 0x01 reftype limits, memory 0x02 limits, global 0x03 valtype mut).
const section = wasm.subarray(importSection.body, importSection.end);
let [count, p] = leb(section, 0);
const entries = [];
for (let i = 0; i < count; i++) {
  const [module, afterModule] = name(section, p);
  const [field, afterField] = name(section, afterModule);
  const kind = section[afterField];
  let end = afterField + 1;
  if (kind === 0x00) [, end] = leb(section, end);
  else if (kind === 0x01) { end += 1; end = limits(section, end); }
  else if (kind === 0x02) end = limits(section, end);
  else if (kind === 0x03) end += 2;
  else fail(`an import of an unknown kind (${kind})`);
  entries.push({ module, field, desc: section.subarray(afterField, end) });
  p = end;
}
if (p !== section.length) fail('the import section was not read to its end');
function limits(bytes, from) {
  const flags = bytes[from];
  let [, next] = leb(bytes, from + 1);
  if (flags & 1) [, next] = leb(bytes, next);
  return next;
}

// ----- New names, and the glue's keys renamed to them -----
const renamed = new Map();
const short = (n) => {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let out = letters[n % letters.length];
  for (let rest = Math.floor(n / letters.length); rest > 0; rest = Math.floor(rest / 36)) out += (rest % 36).toString(36);
  return out;
};
for (const entry of entries) {
  if (entry.module !== GLUE || renamed.has(entry.field)) continue;
  if (!/^[A-Za-z_$][\w$]*$/.test(entry.field)) fail(`an import named ${JSON.stringify(entry.field)}`);
  renamed.set(entry.field, short(renamed.size));
}
if (renamed.size === 0) fail(`no import from ${GLUE}`);
for (const [old, fresh] of renamed) {
  const word = new RegExp(`(?<![\\w$])${old.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  const found = js.match(word)?.length ?? 0;
  const keyed = js.match(new RegExp(`(?<![\\w$])${old.replace(/\$/g, '\\$')}:`, 'g'))?.length ?? 0;
  if (found !== 1 || keyed !== 1) fail(`${old} occurs ${found} times in the glue (${keyed} as a key), not once as a key`);
  js = js.replace(word, fresh);
}
// The glue's import object has only wasm-bindgen's keys (all `__…`), so a short name (never `__…`) meets none.
const body = Buffer.concat([
  writeLeb(entries.length),
  ...entries.map((e) => Buffer.concat([encodeName(e.module), encodeName(e.module === GLUE ? renamed.get(e.field) : e.field), e.desc])),
]);
const out = Buffer.concat([
  wasm.subarray(0, importSection.start),
  Buffer.from([2]),
  writeLeb(body.length),
  body,
  wasm.subarray(importSection.end),
]);
new WebAssembly.Module(out); // still a valid module
writeFileSync(wasmFile, out);
writeFileSync(jsFile, js);
console.error(`short-import-names: ${renamed.size} imports renamed (module ${wasm.length} → ${out.length} B)`);

function fail(why) {
  console.error(`short-import-names: ${why} in ${dir}: wasm-bindgen's output changed; look at it`);
  process.exit(1);
}
