// Rewrites wasm-split's loader (__wasm_split.js) before it is minified (issue 30). wasm-split writes, for each of
// its ~390 modules, the same five lines fetching that module's file, and for each screen the list of the ~100
// shared chunks it needs — each chunk its own file, so a screen's first open made ~100 requests, which on a
// slow connection cost more than their bytes (slow 4G: ~0.5 s more for 97 files than for one of the same size,
// measured). This script keeps wasm-split's shared imports and callback wrapper and writes one loader:
//   - each chunk instantiated once, whoever needs it first; a failure forgotten, so the next need tries again;
//   - each screen's chunks as number ranges ("16-63,110-189");
//   - a screen's pack, pack_NAME.wasm (scripts/pack-split-modules.mjs): its module and the chunks the app and the
//     repository frame do not bring, as custom sections of one WebAssembly file (served, cached and compressed as any
//     .wasm), fetched instead of those files while at least half of its chunks are still missing — else the
//     module and the missing chunks come as files, as before.
// Every module is compiled as it arrives and instantiated once the chunks it needs are in. It also writes
// MANIFEST: each pack's module and chunks, for pack-split-modules.mjs once the modules are optimised.
// Fails when wasm-split's output is not what it reads, so a new wasm-split is looked at rather than shipped
// unnoticed. Usage: node scripts/compact-split-loader.mjs PATH/__wasm_split.js MANIFEST.json
import { readFileSync, writeFileSync } from 'node:fs';

const [file, manifest] = process.argv.slice(2);
if (!file || !manifest) fail('usage: compact-split-loader.mjs PATH/__wasm_split.js MANIFEST.json');
const source = readFileSync(file, 'utf8');
const fetchOf = (path) => String.raw`\(\) => \{\s*const src = fetch\(new URL\("\./${path}\.wasm", import\.meta\.url\)\);\s*src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\s*\}\s*`;

// What is kept: the import of the app's glue, the shared imports and the callback wrapper.
const prelude = source.slice(0, source.indexOf('\nfunction makeLoad('));
if (!prelude.includes('function getSharedImports()') || !prelude.includes('function wrapAsyncCb(')) {
  fail('the shared imports or the callback wrapper were not found');
}

// The chunks: each loads chunk_N.wasm and needs nothing else.
const chunkDef = new RegExp(String.raw`const __chunk_(\d+) = makeLoad\(${fetchOf(String.raw`chunk_(\d+)`)}, \[\]\);`, 'g');
const defined = new Set();
for (const [, name, path] of source.matchAll(chunkDef)) {
  if (name !== path) fail(`chunk ${name} loads chunk_${path}.wasm`);
  defined.add(Number(name));
}

// The screens: each loads split_NAME.wasm after the chunks it lists.
const screenDef = new RegExp(String.raw`export const (__wasm_split_load_(\w+)) = wrapAsyncCb\(makeLoad\(${fetchOf(String.raw`split_(\w+)`)}, \[((?:__chunk_\d+(?:, )?)*)\]\)\);`, 'g');
const screens = [];
for (const [, exported, name, path, list] of source.matchAll(screenDef)) {
  if (name !== path) fail(`${exported} loads split_${path}.wasm`);
  const chunks = [...list.matchAll(/__chunk_(\d+)/g)].map((m) => Number(m[1]));
  for (const n of chunks) if (!defined.has(n)) fail(`${name} lists chunk ${n}, which is not defined`);
  screens.push({ exported, name, chunks });
}
const fetches = (source.match(/fetch\(new URL\(/g) ?? []).length;
if (screens.length === 0 || defined.size + screens.length !== fetches) {
  fail(`${defined.size} chunks and ${screens.length} screens read of ${fetches} module fetches`);
}

// What each pack holds. The app (app_root: everything but the first module's loader, fetched once the page
// wants it) needs no chunk — wasm-split's --base-split puts the code it shares into its module — so it has no
// pack and comes as its own file. The repository frame's pack holds every chunk the frame needs; any other
// screen's, the chunks the frame does not bring (every repository screen opens inside the frame, and a deep
// link fetches both at once; a screen outside it, as the fleet's, finds the frame's chunks missing and fetches
// them as files, or its pack when half are).
const app = screens.find((s) => s.name === 'app_root');
if (!app) fail('the app (app_root) was not found');
if (app.chunks.length > 0) fail(`the app (app_root) needs ${app.chunks.length} chunks: was wasm-split run with --base-split app_root`);
const frame = screens.find((s) => s.name === 'repo_screen');
if (!frame) fail('the repository frame (repo_screen) was not found');
const frameChunks = new Set(frame.chunks);
for (const screen of screens) {
  screen.packed = screen === frame ? screen.chunks : screen.chunks.filter((n) => !frameChunks.has(n));
}

const loader = `
/// Each shared chunk, instantiated once, whoever needs it first (a failure is forgotten: the next need tries again).
const chunks = new Map();
function chunk(n, compile) {
    let loading = chunks.get(n);
    if (loading === undefined) {
        const attempt = compile().then((module) => WebAssembly.instantiate(module, getSharedImports()));
        attempt.catch(() => { if (chunks.get(n) === attempt) chunks.delete(n); });
        chunks.set(n, loading = attempt);
    }
    return loading;
}
/// A module's own file, compiled as it arrives.
const file = (name) => () => WebAssembly.compileStreaming(fetch(new URL(\`./\${name}.wasm\`, import.meta.url)));
/// [16, 17, 18, 20] from "16-18,20".
function numbers(ranges) {
    return ranges.split(",").filter(Boolean).flatMap((range) => {
        const [from, to = from] = range.split("-").map(Number);
        return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
}
/// A pack's modules by name: a WebAssembly file of custom sections only, one per module.
async function unpack(response) {
    if (!response.ok) throw new Error(\`\${response.url}: \${response.status}\`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const sections = new Map();
    let at = 8;
    const leb = () => {
        let value = 0, shift = 0, byte;
        do { byte = bytes[at++]; value += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
        return value;
    };
    while (at < bytes.length) {
        if (bytes[at++] !== 0) throw new Error(\`\${response.url}: not a pack\`);
        const end = leb() + at, length = leb();
        sections.set(new TextDecoder().decode(bytes.subarray(at, at + length)), bytes.subarray(at + length, end));
        at = end;
    }
    return sections;
}
/// Screen \`name\`'s loader: its module once the chunks it \`needs\` are in; from its pack (those chunks but the
/// ones \`beside\`, both as ranges) while at least half of the chunks the pack holds are missing. Memoised; a
/// failure is not, so the next call tries again.
function screen(name, needs, beside) {
    const load = async () => {
        // Read when the screen is first needed, not while the first screen starts.
        const [needed, outside] = [numbers(needs), new Set(numbers(beside))];
        const inPack = needed.filter((n) => !outside.has(n));
        const missing = inPack.filter((n) => !chunks.has(n));
        let module;
        if (missing.length > 0 && missing.length * 2 >= inPack.length) {
            const pack = fetch(new URL(\`./pack_\${name}.wasm\`, import.meta.url)).then(unpack);
            const part = (section) => () => pack.then((sections) => WebAssembly.compile(sections.get(section)));
            for (const n of missing) chunk(n, part(\`chunk_\${n}\`));
            module = part(\`split_\${name}\`)();
        } else {
            module = file(\`split_\${name}\`)();
        }
        module.catch(() => {});
        await Promise.all(needed.map((n) => chunk(n, file(\`chunk_\${n}\`))));
        return WebAssembly.instantiate(await module, getSharedImports());
    };
    let loading;
    return () => {
        if (loading === undefined) {
            const attempt = load();
            attempt.catch(() => { if (loading === attempt) loading = undefined; });
            loading = attempt;
        }
        return loading;
    };
}
`;
// The frame's list is written once: its pack holds all of it, every other pack what is not in it.
const exports = screens.map((s) => s === app
  ? `export const ${s.exported} = wrapAsyncCb(screen("${s.name}", "", ""));`
  : s === frame
    ? `export const ${s.exported} = wrapAsyncCb(screen("${s.name}", frame, ""));`
    : `export const ${s.exported} = wrapAsyncCb(screen("${s.name}", "${ranges(s.chunks)}", frame));`);
const lists = `const frame = "${ranges(frame.chunks)}";`;
writeFileSync(file, `${prelude}\n${loader}\n${lists}\n${exports.join('\n')}\n`);
const packs = Object.fromEntries(screens.filter((s) => s.packed.length > 0)
  .map(({ name, packed }) => [name, { module: `split_${name}`, chunks: packed.map((n) => `chunk_${n}`) }]));
writeFileSync(manifest, `${JSON.stringify(packs, null, 1)}\n`);
console.error(`compact-split-loader: ${screens.length} screens and ${defined.size} chunks, loaded by number; ${Object.keys(packs).length} packs`);

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
