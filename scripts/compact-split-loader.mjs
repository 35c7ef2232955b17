// Compacts wasm-split's loader (__wasm_split.js) before it is minified: it writes, for each of its ~130 modules,
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
}
function makeLoad(`;
let count = 0;
const compacted = source.replace(each, (_, path) => {
  count += 1;
  return `makeLoad(fetchModule(${path})`;
});
const fetches = (source.match(/fetch\(new URL\(/g) ?? []).length;
if (count === 0 || count !== fetches || !compacted.includes('\nfunction makeLoad(')) {
  console.error(`compact-split-loader: ${count} of ${fetches} module fetches matched in ${file}: wasm-split's loader changed; look at it`);
  process.exit(1);
}
writeFileSync(file, compacted.replace('\nfunction makeLoad(', helper));
console.error(`compact-split-loader: ${count} module fetches share one helper`);
