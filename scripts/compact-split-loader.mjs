// Compacts wasm-split's loader (__wasm_split.js) before it is minified: it writes, for each of its ~390 modules,
// the same five lines fetching that module's file; this script makes them one helper called with each file's
// name. The loader is part of the first load (issue 30): −0.5 KB gzip, measured. The behaviour is the same
// (each module fetched when first needed, its failure not cached); the e2e suite loads every module through it.
// Fails when the pattern is not found, so a new wasm-split output is looked at rather than shipped unnoticed.
// Usage: node scripts/compact-split-loader.mjs PATH/__wasm_split.js
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const source = readFileSync(file, 'utf8');
const each = /makeLoad\(\(\) => \{\s*const src = fetch\(new URL\(("\.\/[\w.]+\.wasm"), import\.meta\.url\)\);\s*src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\s*\}/g;
const helper = `
/// Fetches a module's file at once (its failure surfaces when it is instantiated) — written once for every module.
function fetchModule(path) {
    return () => {
        const src = fetch(new URL(path, import.meta.url));
        src.catch(() => {});
        return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
    };
}`;
let count = 0;
const compacted = source.replace(each, (_, path) => {
  count += 1;
  return `makeLoad(fetchModule(${path})`;
});
const fetches = (source.match(/fetch\(new URL\(/g) ?? []).length;
if (count === 0 || count !== fetches || !compacted.includes('\nfunction makeLoad(')) {
  fail(`${count} of ${fetches} module fetches matched`);
}

// Then the shared chunks (~370, none with dependencies of its own): instead of a named loader each and every
// screen's list of those names, one loader per chunk made when a screen first lists it, and each screen's list
// written as ranges of chunk numbers ("16-63,70"). −1.6 KB gzip of the first load (the loader 3,815 → 2,151 B), measured.
const chunkDef = /(?:\/\*[^*]*\*\/\n)?const __chunk_(\d+) = makeLoad\(fetchModule\("\.\/chunk_(\d+)\.wasm"\)\n, \[\]\);\n/g;
const defined = new Set();
let chunked = compacted.replace(chunkDef, (_, name, file) => {
  if (name !== file) fail(`chunk ${name} loads chunk_${file}.wasm`);
  defined.add(Number(name));
  return '';
});
let lists = 0;
chunked = chunked.replace(/\n, \[((?:__chunk_\d+(?:, )?)*)\]\)\);/g, (_, list) => {
  lists += 1;
  const numbers = [...list.matchAll(/__chunk_(\d+)/g)].map((m) => Number(m[1]));
  for (const n of numbers) if (!defined.has(n)) fail(`a screen lists chunk ${n}, which is not defined`);
  return `, chunksOf("${ranges(numbers)}")));`;
});
if (defined.size === 0 || lists === 0 || chunked.includes('__chunk_')) fail('the chunks or the screens\' lists were not all found');
const chunkHelper = `
/// The loader of shared chunk n (one per chunk, made when first listed).
const chunkLoads = [];
function chunk(n) {
    return chunkLoads[n] ??= makeLoad(fetchModule(\`./chunk_\${n}.wasm\`), []);
}
/// The loaders of the chunks a screen needs, from "16-63,70".
function chunksOf(ranges) {
    return ranges.split(",").flatMap((range) => {
        const [from, to = from] = range.split("-").map(Number);
        return Array.from({ length: to - from + 1 }, (_, i) => chunk(from + i));
    });
}`;
writeFileSync(file, chunked.replace('\nfunction makeLoad(', `${helper}${chunkHelper}\nfunction makeLoad(`));
console.error(`compact-split-loader: ${count} module fetches share one helper; ${defined.size} chunks are loaded by number for ${lists} screens`);

/// "16-18,20" for [16, 17, 18, 20] (sorted first).
function ranges(numbers) {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j += 1;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return out.join(',');
}

function fail(why) {
  console.error(`compact-split-loader: ${why} in ${file}: wasm-split's loader changed; look at it`);
  process.exit(1);
}
