#!/usr/bin/env bash
# Installs the Rust pieces `make test` needs, skipping what is already there (safe to run again).
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is not installed; install Rust with rustup first" >&2
  exit 1
fi
# The wasm32 target: core must build for the browser with no browser dependency.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    echo "setup: adding rustup component ${component}"
    rustup component add "${component}"
  fi
done
