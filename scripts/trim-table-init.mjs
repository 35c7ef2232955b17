// Drops the app module's writes of "no function" into its function table (issue 30: the first load).
// wasm-split-cli gives every function that moved to an on-demand module a table slot in the app module, and the app
// module's element section fills those slots with `ref.null` (one item of three bytes each, ~4,300 of them in 340
// segments); each on-demand module writes its own functions into its slots when it is instantiated. A new table's
// slots are null already (the spec's table instantiation), so those writes change nothing: this rewrites each
// active segment as the runs of its real function items, at their own offsets. −15 KB raw, −1.6 KB gzip.
//
// Checks before writing: every segment is an active one of a form read here, the table the rewritten segments
// leave is slot for slot the one the original leaves, and the result is a valid module — otherwise fails and
// leaves the file alone, so a different wasm-split or wasm-opt output is looked at rather than shipped broken.
// Usage: node scripts/trim-table-init.mjs MODULE.wasm (after wasm-opt)
import { readFileSync, writeFileSync } from 'node:fs';

import { leb, sections, writeLeb } from './wasm-sections.mjs';

const file = process.argv[2];
const wasm = readFileSync(file);
const ELEM = 9;
const I32_CONST = 0x41;
const REF_NULL = 0xd0;
const REF_FUNC = 0xd2;
const END = 0x0b;

function fail(why) {
  console.error(`trim-table-init: ${why} in ${file}; look at it`);
  process.exit(1);
}

function signedLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = bytes[at++];
    value |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && b & 0x40) value |= -1 << shift;
  return [value, at];
}

function writeSignedLeb(value) {
  const out = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(b & 0x40)) || (value === -1 && b & 0x40)) {
      out.push(b);
      return Buffer.from(out);
    }
    out.push(b | 0x80);
  }
}

// An offset expression: only `i32.const N end` is read (what wasm-split and wasm-opt write).
function offset(bytes, at) {
  if (bytes[at] !== I32_CONST) fail('an element segment whose offset is not a constant');
  const [value, next] = signedLeb(bytes, at + 1);
  if (bytes[next] !== END) fail('an element segment whose offset is not a constant');
  return [value, next + 1];
}

// One item expression (`ref.func N end` or `ref.null T end`): its function index, or null.
function item(bytes, at) {
  if (bytes[at] === REF_FUNC) {
    const [index, next] = leb(bytes, at + 1);
    if (bytes[next] !== END) fail('an element item of an unknown form');
    return [index, next + 1];
  }
  if (bytes[at] === REF_NULL && bytes[at + 2] === END) return [null, at + 3];
  fail('an element item of an unknown form');
}

// The element section's active segments, each as { table, start, items } (items: function index or null).
function readSegments(bytes, section) {
  let [count, at] = leb(bytes, section.body);
  const segments = [];
  for (let i = 0; i < count; i++) {
    let flags;
    [flags, at] = leb(bytes, at);
    let table = 0;
    if (flags === 2 || flags === 6) [table, at] = leb(bytes, at);
    if (![0, 2, 4, 6].includes(flags)) fail(`a passive or declared element segment (flags ${flags})`);
    let start;
    [start, at] = offset(bytes, at);
    if (flags === 2 && bytes[at++] !== 0x00) fail('an element segment of an unknown kind');
    if (flags === 6 && bytes[at++] !== 0x70) fail('an element segment not of funcref');
    let n;
    [n, at] = leb(bytes, at);
    const items = [];
    for (let j = 0; j < n; j++) {
      let value;
      if (flags === 0 || flags === 2) [value, at] = leb(bytes, at);
      else [value, at] = item(bytes, at);
      items.push(value);
    }
    segments.push({ table, start, items });
  }
  if (at !== section.end) fail('an element section longer than its segments');
  return segments;
}

// What the segments leave in each table, applied in order as instantiation does: "table:slot" → function or null.
function tableAfter(segments) {
  const slots = new Map();
  for (const { table, start, items } of segments) {
    items.forEach((value, k) => slots.set(`${table}:${start + k}`, value));
  }
  for (const [slot, value] of slots) if (value === null) slots.delete(slot);
  return slots;
}

const section = sections(wasm).find((s) => s.id === ELEM);
if (!section) process.exit(0);
const before = readSegments(wasm, section);

// Each segment's runs of real functions, as segments of function indices (flags 0: table 0; flags 2: others).
const trimmed = [];
for (const { table, start, items } of before) {
  for (let k = 0; k < items.length; ) {
    if (items[k] === null) {
      k++;
      continue;
    }
    let end = k;
    while (end < items.length && items[end] !== null) end++;
    trimmed.push({ table, start: start + k, items: items.slice(k, end) });
    k = end;
  }
}

const encoded = trimmed.map(({ table, start, items }) =>
  Buffer.concat([
    table === 0 ? Buffer.from([0]) : Buffer.concat([Buffer.from([2]), writeLeb(table)]),
    Buffer.from([I32_CONST]),
    writeSignedLeb(start),
    Buffer.from([END]),
    table === 0 ? Buffer.alloc(0) : Buffer.from([0x00]),
    writeLeb(items.length),
    ...items.map((index) => writeLeb(index)),
  ]),
);
const body = Buffer.concat([writeLeb(trimmed.length), ...encoded]);
const out = Buffer.concat([
  wasm.subarray(0, section.start),
  Buffer.from([ELEM]),
  writeLeb(body.length),
  body,
  wasm.subarray(section.end),
]);

const nulls = before.reduce((sum, s) => sum + s.items.filter((v) => v === null).length, 0);
if (nulls === 0) process.exit(0);
const after = readSegments(out, sections(out).find((s) => s.id === ELEM));
const [was, now] = [tableAfter(before), tableAfter(after)];
if (was.size !== now.size || [...was].some(([slot, value]) => now.get(slot) !== value)) {
  fail('the rewritten segments would leave a different table');
}
if (!WebAssembly.validate(out)) fail('the rewritten module does not validate');
writeFileSync(file, out);
console.error(
  `trim-table-init: ${nulls} null table items dropped, ${before.length} → ${trimmed.length} segments (${wasm.length} → ${out.length} B)`,
);
