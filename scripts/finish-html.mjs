// The page's last touches after the app is built (run by scripts/build-app.sh): the preload links for what the
// first screen needs, the hash of the inline stylesheet in the Content-Security-Policy, and 404.html.
//   - %PRELOAD%: every JavaScript module of pkg-HASH/ (the app's, wasm-split's loader, wasm-bindgen's
//     snippets) as modulepreload, and the app's wasm as a fetch preload, so they download at once, side by
//     side, instead of each after the file that names it. The on-demand modules are left to load when needed.
//   - %STYLE_HASH%: 'sha256-…' of each inline <style> (the stylesheet is inline so the first screen paints
//     with the page), in the <meta> policy and in _headers: the policy allows that exact stylesheet only.
//   - the page's comments dropped and the stylesheet's comments and white space trimmed (before hashing).
//   - 404.html: the page for deep links on static hosts, marked `deep-link` so its static first screen says
//     "Opening…" instead of showing the connect form (src/boot.rs), and preloading the app's module too.
// Usage: node scripts/finish-html.mjs OUT PKG_DIR_NAME BASE
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';

const [out, pkgName, base] = process.argv.slice(2);
if (!out || !pkgName || !base) {
  console.error('usage: finish-html.mjs OUT PKG_DIR_NAME BASE');
  process.exit(2);
}
const pkg = join(out, pkgName);
const walk = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
const href = (file) => `${base}${pkgName}/${relative(pkg, file).split('\\').join('/')}`;
const modules = walk(pkg).filter((f) => f.endsWith('.js')).sort();
const links = [
  ...modules.map((f) => `<link rel="modulepreload" href="${href(f)}">`),
  `<link rel="preload" href="${href(join(pkg, 'deploydeck_bg.wasm'))}" as="fetch" type="application/wasm" crossorigin>`,
];

let html = readFileSync(join(out, 'index.html'), 'utf8');
if (!html.includes('<!-- %PRELOAD% -->')) throw new Error('index.html has no %PRELOAD% marker');
html = html.replace('<!-- %PRELOAD% -->', links.join('\n    '));

// Shipped lean: the page's comments go (they are for readers of index.html), and the stylesheet loses its
// comments and runs of white space — only around `{`, `;` and `}`, where no selector or value needs them.
html = html.replace(/<!--[\s\S]*?-->\s*/g, '');
html = html.replace(/<style>([\s\S]*?)<\/style>/g, (_, css) => `<style>${css
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\s+/g, ' ')
  .replace(/\s*([{};])\s*/g, '$1')
  .trim()}</style>`);
const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
if (styles.length === 0) throw new Error('index.html has no inline <style>');
const hashes = styles.map((css) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`).join(' ');
const fill = (text, where) => {
  if (!text.includes('%STYLE_HASH%')) throw new Error(`${where} has no %STYLE_HASH% placeholder`);
  return text.replaceAll('%STYLE_HASH%', hashes);
};
html = fill(html, 'index.html');
writeFileSync(join(out, 'index.html'), html);
const headers = join(out, '_headers');
if (existsSync(headers)) writeFileSync(headers, fill(readFileSync(headers, 'utf8'), '_headers'));
// A deep link always wants the app at once: its module is preloaded with the page, beside the first module, not
// after boot.js has run (a round trip later). The connect screen (index.html) leaves it to boot.js.
const appPack = join(pkg, 'split_app_root.wasm');
const deep = existsSync(appPack)
  ? html.replace(links.at(-1), `${links.at(-1)}\n    <link rel="preload" href="${href(appPack)}" as="fetch" type="application/wasm" crossorigin>`)
  : html;
writeFileSync(join(out, '404.html'), deep.replace('<html lang="en">', '<html lang="en" class="deep-link">'));
console.error(`finish-html: ${modules.length} modules and the app's wasm preloaded; style ${hashes}`);
