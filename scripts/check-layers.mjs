// The module layering of the three crates (docs/architecture.md, "The layout"), checked by `make lint`:
//
// 1. No import circle between sibling modules, anywhere: an import from `a::x` to `b::y` counts as `a → b`
//    (at the level where their paths part); an import between a module and its own parent or child is no edge.
// 2. Core's top-level modules sit in layers, lowest first: the shared pieces, then `github` (GitHub's objects and
//    rules), then `api` (talking to it), then the features, then `location` (the app's addresses). A module
//    imports only from lower layers or its own; a feature never imports another feature.
// 3. The app: nothing below the views imports a view or the root (src/lib.rs holds only App, Header and the
//    module list).
//
// Test code (`tests.rs` files, and a file's `#[cfg(test)] mod …` at its end) is left out: tests may reach
// across. Usage: node scripts/check-layers.mjs [--graph] — --graph prints every crate's edges.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const showGraph = process.argv.includes('--graph');

/// The wire crate's modules, which core re-exports at its root as shared pieces (the lowest layer).
const WIRE = ['host', 'text', 'timestamp', 'url'];

/// Core's layers (rank: lower is lower). Every top-level module of core must be named here.
const CORE_LAYERS = {
  shared: ['pattern', 'paging', 'order'],
  github: ['github'],
  api: ['api'],
  features: ['history', 'cleanup', 'fleet', 'reviews', 'connect', 'ship', 'insights'],
  top: ['location'],
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.rs') ? [path] : [];
  });
}

/// A source file's module path: `a/b.rs` and `a/b/mod.rs` → ['a', 'b']; lib.rs / main.rs → [].
function modulePath(srcDir, file) {
  const parts = relative(srcDir, file).replace(/\.rs$/, '').split(sep);
  if (parts.at(-1) === 'mod' || (parts.length === 1 && ['lib', 'main'].includes(parts[0]))) parts.pop();
  return parts;
}

/// The code of a file without its comments, string and character literals, and trailing test module: a small
/// lexer, since `/*` or `//` may sit inside a string and a `"` inside a character literal.
function codeOf(text) {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') { depth++; i += 2; }
        else if (text[i] === '*' && text[i + 1] === '/') { depth--; i += 2; }
        else i++;
      }
    } else if (c === 'r' && !/\w/.test(text[i - 1] ?? '') && /^r#*"/.test(text.slice(i, i + 8))) {
      const hashes = text.slice(i + 1).match(/^#*/)[0];
      const end = text.indexOf(`"${hashes}`, i + 2 + hashes.length);
      i = end < 0 ? n : end + 1 + hashes.length;
      out += '""';
    } else if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      out += '""';
    } else if (c === "'" && (text[i + 2] === "'" || (next === '\\' && text.indexOf("'", i + 2) - i <= 10))) {
      i = next === '\\' ? text.indexOf("'", i + 3) + 1 : i + 3;
      out += "' '";
    } else {
      out += c;
      i++;
    }
  }
  const test = out.search(/#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{/);
  return test >= 0 ? out.slice(0, test) : out;
}

/// Expands a `use` tree (`crate::{a::x, b::{y, z}}`) into full paths.
function expandUse(tree) {
  tree = tree.replace(/\s+/g, '');
  const open = tree.indexOf('{');
  if (open < 0) return [tree.replace(/::self$/, '').replace(/\bas\w+$/, '')];
  const prefix = tree.slice(0, open);
  const inner = tree.slice(open + 1, tree.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '{') depth++;
    else if (inner[i] === '}') depth--;
    else if (inner[i] === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.filter(Boolean).flatMap((p) => expandUse(p === 'self' ? prefix.replace(/::$/, '') : prefix + p));
}

/// Every path a module names through `crate::`, `super::` or `self::`, resolved to absolute segments.
function importsOf(code, here) {
  const paths = [];
  const resolve = (path) => {
    const segs = path.replace(/\bas\s*\w+$/, '').split('::').filter(Boolean);
    let base;
    if (segs[0] === 'crate') base = [];
    else if (segs[0] === 'super') {
      base = [...here];
      while (segs[0] === 'super') {
        base.pop();
        segs.shift();
      }
      return [...base, ...segs];
    } else if (segs[0] === 'self') base = [...here];
    else return null;
    return [...base, ...segs.slice(1)];
  };
  for (const match of code.matchAll(/\buse\s+([^;]+);/g)) {
    for (const path of expandUse(match[1])) {
      const resolved = resolve(path);
      if (resolved) paths.push(resolved);
    }
  }
  for (const match of code.matchAll(/\b(crate|super|self)((?:::\w+)+)/g)) {
    const resolved = resolve(match[1] + match[2]);
    if (resolved) paths.push(resolved);
  }
  return paths;
}

/// The graph of one crate: for each parent module, its children's edges.
function graphOf(srcDir, reexports = false) {
  const modules = new Map();
  for (const file of files(srcDir)) {
    if (file.endsWith(`${sep}tests.rs`)) continue;
    modules.set(modulePath(srcDir, file).join('::'), readFileSync(file, 'utf8'));
  }
  const known = new Set(modules.keys());
  const edges = new Map(); // parent → Map(from → Set(to))
  const lines = [];
  for (const [name, text] of modules) {
    const here = name ? name.split('::') : [];
    for (const target of importsOf(codeOf(text), here)) {
      // Inside core, a path names its layer: `crate::model` would go through lib.rs's re-exports and hide
      // which layer it reaches.
      if (reexports && target[0] && /^[a-z]/.test(target[0]) && !known.has(target[0]) && !WIRE.includes(target[0]) && here.length) {
        problems.push(`core: ${name} names crate::${target.join('::')} through a re-export: write its own path`);
      }
      // The longest prefix of the target that is a module of this crate.
      let end = target.length;
      while (end > 0 && !known.has(target.slice(0, end).join('::'))) end--;
      const to = target.slice(0, end);
      let common = 0;
      while (common < here.length && common < to.length && here[common] === to[common]) common++;
      if (common === here.length || common === to.length) continue; // itself, its parent or its child
      const parent = here.slice(0, common).join('::');
      const [a, b] = [here[common], to[common]];
      if (!edges.has(parent)) edges.set(parent, new Map());
      const level = edges.get(parent);
      if (!level.has(a)) level.set(a, new Set());
      if (!level.get(a).has(b)) lines.push(`${parent || 'crate'}: ${a} → ${b}   (${name || 'crate'} uses ${target.join('::')})`);
      level.get(a).add(b);
    }
  }
  return { edges, lines, tops: new Set([...known].filter((m) => m && !m.includes('::'))) };
}

/// The circles (strongly connected components of more than one module) of one level's edges.
function circles(level) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const found = [];
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    on.add(v);
    for (const w of level.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of level.keys()) if (!index.has(v)) visit(v);
  return found;
}

const problems = [];
const crates = [
  ['crates/wire/src', 'wire'],
  ['crates/core/src', 'core'],
  ['crates/fake-github/src', 'fake-github'],
  ['src', 'the app'],
];
for (const [dir, name] of crates) {
  const { edges, lines, tops } = graphOf(join(root, dir), name === 'core');
  if (showGraph) console.log(`${name}:\n  ${lines.sort().join('\n  ')}`);
  for (const [parent, level] of edges) {
    for (const circle of circles(level)) {
      problems.push(`${name}: an import circle between sibling modules of ${parent || 'the crate'}: ${circle.join(', ')}`);
      for (const line of lines.filter((l) => l.startsWith(`${parent || 'crate'}: `))) {
        const [, a, b] = line.match(/: (\w+) → (\w+)/);
        if (circle.includes(a) && circle.includes(b)) problems.push(`    ${line}`);
      }
    }
  }
  if (name === 'core') {
    const rank = new Map();
    const layerOf = new Map();
    Object.entries(CORE_LAYERS).forEach(([layer, mods], i) => mods.forEach((m) => { rank.set(m, i); layerOf.set(m, layer); }));
    for (const top of tops) {
      if (!rank.has(top)) problems.push(`core: the module ${top} is in no layer (scripts/check-layers.mjs, CORE_LAYERS)`);
    }
    for (const [from, targets] of edges.get('') ?? []) {
      for (const to of targets) {
        if (!rank.has(from) || !rank.has(to)) continue;
        const upward = rank.get(to) > rank.get(from);
        const across = layerOf.get(from) === 'features' && layerOf.get(to) === 'features';
        if (upward || across) {
          const why = upward ? `${layerOf.get(from)} may not import ${layerOf.get(to)}` : 'a feature imports another feature';
          problems.push(`core: ${from} → ${to}: ${why}`);
          for (const line of lines.filter((l) => l.startsWith(`crate: ${from} → ${to} `))) problems.push(`    ${line}`);
        }
      }
    }
  }
}

// The app: nothing below the views imports a view or the root.
const app = join(root, 'src');
for (const file of files(app)) {
  const rel = relative(app, file);
  if (rel.startsWith(`views${sep}`) || rel === 'lib.rs' || rel === 'main.rs') continue;
  const code = codeOf(readFileSync(file, 'utf8'));
  if (/crate::views\b|crate::(App|Header)\b|use crate::\{[^}]*\b(views|App|Header)\b/.test(code)) {
    problems.push(`the app: src/${rel}, below the views, imports a view or the root`);
  }
}
const lib = readFileSync(join(app, 'lib.rs'), 'utf8');
for (const line of lib.split('\n')) {
  if (/^\s*pub (fn|struct|enum|const|static|type) /.test(line) && !/pub fn (App|Header)\b/.test(line)) {
    problems.push(`the app: src/lib.rs holds only the root (App, Header) and the module list: ${line.trim()}`);
  }
}

if (problems.length) {
  console.error(`check-layers:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('check-layers: no import circle in the wire crate, core, fake-github or the app; core imports only downward; nothing below the views imports a view or the root');
