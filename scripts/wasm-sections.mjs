// Reading a WebAssembly module's binary layout (the spec's binary format): its LEB128 numbers and its sections.
// Shared by scripts/short-import-names.mjs (which rewrites the import section), scripts/size-attribution.mjs
// (which reports each section's size) and scripts/pack-split-modules.mjs (which writes custom sections).

/// The unsigned LEB128 number at `at` in `bytes`, and where it ends.
export function leb(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
  }
}

/// Each section of `bytes` (a module): its id, where it starts, where its body starts and where it ends.
export function sections(bytes) {
  const found = [];
  for (let at = 8; at < bytes.length;) {
    const [size, body] = leb(bytes, at + 1);
    found.push({ id: bytes[at], start: at, body, end: body + size });
    at = body + size;
  }
  return found;
}

/// `value` as unsigned LEB128.
export function writeLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

/// A name as the binary format writes one: its UTF-8 length, then its bytes.
export const encodeName = (text) => Buffer.concat([writeLeb(Buffer.byteLength(text)), Buffer.from(text, 'utf8')]);

/// A custom section (id 0) named `name` holding `payload`.
export function customSection(name, payload) {
  const body = Buffer.concat([encodeName(name), payload]);
  return Buffer.concat([Buffer.from([0]), writeLeb(body.length), body]);
}
