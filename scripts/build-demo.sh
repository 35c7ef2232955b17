#!/usr/bin/env bash
# Builds the demo simulator module (crates/demo-wasm) into OUT/demo/: cargo (release, the size profile) →
# wasm-bindgen --target web → wasm-opt -Oz. Run by Trunk's post_build hook with OUT = the staging dist, so
# `trunk build` and `trunk serve` both ship it; the app imports it only when the demo is chosen.
# A second argument other than release (make serve) builds it with cargo's `serve` profile and no wasm-opt.
set -euo pipefail
out=${1:?usage: build-demo.sh OUT_DIR [release|debug]}
profile=${2:-release}
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p "$out/demo"
if [ "$profile" = release ]; then
  cargo build -q -p deploydeck-demo --target wasm32-unknown-unknown --release
  # An unchanged module gives the same files (as in build-app.sh): make build's second build reuses them.
  input=target/wasm32-unknown-unknown/release/deploydeck_demo.wasm
  key=$(cat "$input" "$root/scripts/build-demo.sh" "$root/package-lock.json" "$root/Cargo.lock" | sha256sum | cut -c1-16)
  shipped="target/demo-shipped-$key"
  if [ -d "$shipped" ]; then
    cp -r "$shipped/." "$out/demo/"
  else
    wasm-bindgen --target web --no-typescript --out-dir "$out/demo" --out-name deploydeck_demo "$input"
    "$root/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/demo/deploydeck_demo_bg.wasm" -o "$out/demo/deploydeck_demo_bg.wasm"
    rm -rf target/demo-shipped-*
    cp -r "$out/demo" "$shipped"
  fi
else
  echo "build-demo: the demo simulator (development build)" >&2
  cargo build -p deploydeck-demo --target wasm32-unknown-unknown --profile serve --target-dir target/app-serve
  wasm-bindgen --target web --no-typescript --out-dir "$out/demo" --out-name deploydeck_demo \
    target/app-serve/wasm32-unknown-unknown/serve/deploydeck_demo.wasm
fi
