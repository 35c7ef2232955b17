#!/usr/bin/env bash
# Builds the app's WebAssembly into OUT (Trunk's staging dist; run by the post_build hook in Trunk.toml, so
# `trunk build` and `trunk serve` both use it), split so the first load carries only the shell and the connect
# screen:
#   cargo build --features split (linked with --emit-relocs, in its own target dir so these flags never
#   invalidate the other wasm32 builds) → wasm-split-cli (cuts the module at every `wasm_split` point of
#   src/screens.rs into chunks and a __wasm_split.js loader) → wasm-bindgen --keep-lld-exports (the chunks
#   link against the main module's exports) → wasm-opt -Os on every module (release: measured smaller once gzipped than -Oz, which is smaller raw).
# Everything lands in OUT/pkg-HASH/ (HASH: of the built files, so a new build never meets a stale cache and the
# chunks' relative URLs need no rewriting), and index.html's boot tag is pointed at it, under the public URL.
# Then the demo simulator (scripts/build-demo.sh) and the page's last touches (scripts/finish-html.mjs: preload
# links, the inline stylesheet's hash in the policy, 404.html for deep links on static hosts). Usage: build-app.sh OUT [release|debug] [PUBLIC_URL]
#
# Any profile but release (`make serve`, which runs `trunk serve` without --release) is a development build:
# one module (no split), cargo's `serve` profile (no optimisation, no LTO), no wasm-opt, cargo's progress
# shown — served in under two minutes instead of six. The shipped build is `make build`.
set -euo pipefail
out=${1:?usage: build-app.sh OUT [release|debug] [PUBLIC_URL]}
profile=${2:-${TRUNK_PROFILE:-release}}
base=${3:-${TRUNK_PUBLIC_URL:-/}}
case "$base" in */) ;; *) base="$base/" ;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/split" "$work/pkg"

if [ "$profile" = release ]; then
  target_dir="$root/target/app-split"
  # erase_components: leptos type-erases every component (smaller on-demand modules, faster builds). The path
  # remaps keep this machine's paths out of the shipped panic messages (shorter, and nobody's home directory).
  remap="--remap-path-prefix=$root=deploydeck"
  for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*; do
    remap="$remap --remap-path-prefix=$registry=crates"
  done
  RUSTFLAGS="-Clink-args=--emit-relocs --cfg erase_components $remap" cargo build -q -p deploydeck --bin deploydeck --features split \
    --target wasm32-unknown-unknown --target-dir "$target_dir" --release
  # The same module always gives the same shipped files, whatever the public URL: a build of an unchanged
  # module (make build's second, under /sub/) takes them from the last one instead of splitting, binding and
  # optimising ~390 modules again (minutes). Keyed by the module and everything that makes the files from it.
  input="$target_dir/wasm32-unknown-unknown/release/deploydeck.wasm"
  key=$(cat "$input" "$root"/scripts/{build-app.sh,compact-split-loader.mjs,pack-split-modules.mjs,short-import-names.mjs,trim-table-init.mjs,wasm-sections.mjs} "$root/package-lock.json" \
    "$root/Cargo.lock" "$root/tools/wasm-split/Cargo.toml" | sha256sum | cut -c1-16)
  shipped="$target_dir/shipped-$key"
  if [ -d "$shipped" ]; then
    echo "build-app: the module is unchanged since the last build: its shipped files are reused" >&2
    cp -r "$shipped/." "$work/pkg/"
  else
    # wasm-split-cli warns about each name section it does not read: noise, not a problem.
    # --base-split: the app (app_root) is always in before any other module, so the code it shares with them
    # goes into it rather than into chunks (tools/wasm-split/PATCHED.md).
    wasm-split-cli "$target_dir/wasm32-unknown-unknown/release/deploydeck.wasm" "$work/split" --out-name deploydeck --base-split app_root \
      2> >(grep -v 'unknown name subsection' >&2)
    # wasm-split's output still names every function: kept for the size attribution (make size, issue 30).
    rm -rf "$target_dir/attribution"
    cp -r "$work/split" "$target_dir/attribution"
    wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/pkg" --out-name deploydeck \
      "$work/split/deploydeck.wasm"
    cp "$work/split/__wasm_split.js" "$work/pkg/"
    # One loader for its ~390 modules, which fetches a screen's module and chunks as one pack file (issue 30).
    node "$root/scripts/compact-split-loader.mjs" "$work/pkg/__wasm_split.js" "$work/packs.json"
    # The JavaScript the first load fetches, minified (terser from npm; names that other modules import are kept):
    # wasm-bindgen's glue, the split loader and their snippets, and the boot script. −3.7 KB gzip, measured.
    find "$work/pkg" -name '*.js' -print0 | while IFS= read -r -d '' js; do
      "$root/node_modules/.bin/terser" "$js" --module --compress --mangle -o "$js"
    done
    # The on-demand modules: split_NAME.wasm per split point, chunk_N.wasm for code several of them share.
    find "$work/split" -name '*.wasm' ! -name deploydeck.wasm -exec cp {} "$work/pkg/" \;
    # wasm-opt, too, warns about each name subsection it does not read (one line per module and section). The
    # producers and target_features sections say which tools made a module; no browser reads them, and in a
    # small shared chunk they are a quarter of its bytes (chunk_94: 665 -> 505 B gzip; a cold Cleanup fetches
    # some 180 chunks). The app module, the first load, is optimised until it stops shrinking (--converge:
    # -151 B gzip, some 5 s more; measured, issue 30).
    optimise() {
      local wasm=$1 passes=(-Os)
      if [ "$(basename "$wasm")" = deploydeck_bg.wasm ]; then passes+=(--converge); fi
      "$root/node_modules/.bin/wasm-opt" "${passes[@]}" --strip-producers --strip-target-features \
        --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue "$wasm" -o "$wasm" \
        2> >(grep -v 'unknown name subsection' >&2)
    }
    export -f optimise
    export root
    # One wasm-opt per core at a time (each of the ~420 runs mostly uses one; most are small chunks, where
    # starting wasm-opt is most of the work): the step takes about half as long on two cores. Any failure fails
    # the build (xargs exits non-zero).
    printf '%s\0' "$work"/pkg/*.wasm | xargs -0 -n 1 -P "$(nproc)" bash -c 'optimise "$1"' _
    # The app module's table starts empty: its ~4,300 writes of "no function" into slots that on-demand modules
    # fill go (scripts/trim-table-init.mjs; −1.7 KB gzip of the first load).
    node "$root/scripts/trim-table-init.mjs" "$work/pkg/deploydeck_bg.wasm"
    # Each screen's pack: its module and the chunks the repository frame does not bring, in one file.
    node "$root/scripts/pack-split-modules.mjs" "$work/pkg" "$work/packs.json"
    # The app module's ~190 imports from its glue get short names in both (−6 KB gzip of the first load).
    node "$root/scripts/short-import-names.mjs" "$work/pkg"
    rm -rf "$target_dir"/shipped-*
    cp -r "$work/pkg" "$shipped"
  fi
  "$root/node_modules/.bin/terser" "$out/boot.js" --module --compress --mangle -o "$out/boot.js"
else
  echo "build-app: development build (one module, not minified; the shipped build is make build)" >&2
  target_dir="$root/target/app-serve"
  RUSTFLAGS="--cfg erase_components" cargo build -p deploydeck --bin deploydeck \
    --target wasm32-unknown-unknown --target-dir "$target_dir" --profile serve
  wasm-bindgen --target web --no-typescript --out-dir "$work/pkg" --out-name deploydeck \
    "$target_dir/wasm32-unknown-unknown/serve/deploydeck.wasm"
fi

hash=$(cd "$work/pkg" && find . -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
rm -rf "$out"/pkg-*
cp -r "$work/pkg" "$out/pkg-$hash"
# The app's own module, which boot.js preloads once the page wants the app (none in a development build).
app=""
if [ -f "$work/pkg/split_app_root.wasm" ]; then app="${base}pkg-$hash/split_app_root.wasm"; fi
sed -i -e "s|%BASE%|$base|g" -e "s|%PKG%|${base}pkg-$hash/|g" -e "s|%APP%|$app|g" "$out/index.html"
if grep -q '%BASE%\|%PKG%\|%APP%' "$out/index.html"; then
  echo "build-app: placeholders left in index.html" >&2
  exit 1
fi

scripts/build-demo.sh "$out" "$profile"
node scripts/finish-html.mjs "$out" "pkg-$hash" "$base"
