#!/usr/bin/env bash
# Builds the cdylib once per implementation for wasm32 and prints raw and gzip sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '%-10s %10s %10s\n' impl raw gzip
for f in baseline core time chrono; do
  cargo build --quiet --release --target wasm32-unknown-unknown --no-default-features --features "$f" --target-dir target
  wasm=target/wasm32-unknown-unknown/release/timestamp_cost.wasm
  printf '%-10s %10d %10d\n' "$f" "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
done
