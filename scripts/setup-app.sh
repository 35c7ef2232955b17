#!/usr/bin/env bash
# Installs what building and serving the app needs, skipping what is already there (safe to run again):
# the wasm32 target (setup-rust.sh), trunk 0.21.14, wasm-bindgen-cli at exactly the Cargo.lock version,
# wasm-split-cli, twiggy (the size attribution), wasm-opt and terser from npm (setup-node.sh), and for the tests
# wasm-pack, Chromium and ChromeDriver (Debian's), curl and ShellCheck (Debian's).
# Nothing is downloaded outside the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# trunk 0.22 needs a newer rustc than this machine's; 0.21.14 builds offline with the installed tools.
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.14$'; then
  echo "setup: installing trunk 0.21.14 (about 12 minutes, once)"
  cargo install --locked trunk@0.21.14
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly. Without --locked: its locked set names
# a crate version the registry lacks.
bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${bindgen}\$"; then
  echo "setup: installing wasm-bindgen-cli ${bindgen} (about 8 minutes, once)"
  cargo install wasm-bindgen-cli --version "=${bindgen}"
fi

# wasm-split-cli cuts the app's wasm into on-demand screen modules (scripts/build-app.sh); its runtime side is
# wasm_split_helpers, which leptos 0.8 re-exports. It is wasm_split_cli_support 0.2.4 with one change of ours,
# kept in tools/wasm-split (PATCHED.md says what and why; its version says which patch: bump it with any change).
# (It has no --version; cargo's install list says which one is there.)
split_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' tools/wasm-split/Cargo.toml | head -1)
if ! command -v wasm-split-cli >/dev/null || ! cargo install --list | grep -qF "wasm_split_cli_support v${split_version} "; then
  echo "setup: installing wasm-split-cli (wasm_split_cli_support ${split_version}, tools/wasm-split; about 2 minutes, once)"
  cargo install --locked --path tools/wasm-split --features build-binary
fi

# twiggy says which crates and functions the shipped bytes are (make size, scripts/size-attribution.mjs).
if ! twiggy --version 2>/dev/null | grep -q ' 0\.8\.'; then
  echo "setup: installing twiggy 0.8 (about 2 minutes, once)"
  cargo install --locked twiggy --version 0.8.0
fi

# wasm-pack 0.15 installs from the Rust registry and runs offline once wasm-bindgen-cli is installed.
if ! wasm-pack --version 2>/dev/null | grep -q '^wasm-pack 0\.15\.'; then
  echo "setup: installing wasm-pack 0.15.1 (about 3 minutes, once)"
  cargo install wasm-pack --version 0.15.1
fi

# Chromium and ChromeDriver for the browser tests (wasm-pack test and Playwright; no browser download).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "setup: installing Chromium and ChromeDriver from Debian"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# curl and ShellCheck for the test that runs Cleanup's downloaded script (sh + curl) against the fake.
if ! command -v curl >/dev/null || ! command -v shellcheck >/dev/null; then
  echo "setup: installing curl and ShellCheck from Debian"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq curl shellcheck >/dev/null
fi
