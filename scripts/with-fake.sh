#!/usr/bin/env bash
# Runs a command with fake-github serving at ADDR, then stops it: with-fake.sh ADDR "OPTIONS" -- COMMAND...
set -euo pipefail
addr=$1; options=$2; shift 2
[ "$1" = "--" ] && shift
log=$(mktemp)
# shellcheck disable=SC2086
target/debug/fake-github --addr "$addr" $options > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  if grep -q '^http' "$log"; then break; fi
  if ! kill -0 $pid 2>/dev/null; then echo "fake-github did not start:"; cat "$log"; exit 1; fi
  sleep 0.1
done
"$@"
