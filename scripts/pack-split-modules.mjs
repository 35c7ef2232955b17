// Writes each screen's pack (issue 30): pack_NAME.wasm, its module and the shared chunks the app and the
// repository frame do not bring (MANIFEST, from scripts/compact-split-loader.mjs), each as a custom section named after its file
// — one WebAssembly file (no code of its own, so served, cached and compressed as any .wasm) that the loader
// fetches instead of ~100 files and takes apart. Run once the modules are optimised; each section is checked to
// be its file, byte for byte. Usage: node scripts/pack-split-modules.mjs PKG_DIR MANIFEST.json
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { customSection, leb, sections } from './wasm-sections.mjs';

const [dir, manifest] = process.argv.slice(2);
if (!dir || !manifest) fail('usage: pack-split-modules.mjs PKG_DIR MANIFEST.json');
const packs = JSON.parse(readFileSync(manifest, 'utf8'));
const header = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
let modules = 0;
for (const [name, { module, chunks }] of Object.entries(packs)) {
  const parts = [module, ...chunks];
  const files = parts.map((part) => readFileSync(join(dir, `${part}.wasm`)));
  const pack = Buffer.concat([header, ...parts.map((part, i) => customSection(part, files[i]))]);
  if (!WebAssembly.validate(pack)) fail(`pack_${name}.wasm is not a valid module`);
  // Read back as the loader reads it.
  const found = sections(pack);
  if (found.length !== parts.length) fail(`pack_${name}.wasm holds ${found.length} sections, not ${parts.length}`);
  found.forEach((section, i) => {
    const [length, from] = leb(pack, section.body);
    const named = pack.subarray(from, from + length).toString('utf8');
    const payload = pack.subarray(from + length, section.end);
    if (section.id !== 0 || named !== parts[i] || !payload.equals(files[i])) {
      fail(`pack_${name}.wasm: section ${i} is not ${parts[i]}.wasm`);
    }
  });
  writeFileSync(join(dir, `pack_${name}.wasm`), pack);
  modules += parts.length;
}
console.error(`pack-split-modules: ${Object.keys(packs).length} packs of ${modules} modules`);

function fail(why) {
  console.error(`pack-split-modules: ${why}`);
  process.exit(1);
}
