#!/usr/bin/env bash
# Runs each named test stage, keeps going after a failure, and ends with one plain line `N passed, N failed`
# counting the tests of every stage (cargo's and wasm-bindgen-test's "test result:" lines, node's
# "# pass N" / "# fail N", Playwright's "N passed (…)" / "N failed"; a stage that fails before reporting
# counts as one failure).
set -uo pipefail

log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
passed=0
failed=0
status=0
for stage in "$@"; do
  echo "==> make ${stage}"
  log="${log_dir}/${stage}.log"
  make --no-print-directory "${stage}" 2>&1 | tee "${log}"
  rc=${PIPESTATUS[0]}
  p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "${log}" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "${log}" | awk '{s+=$1} END {print s+0}')
  np=$(grep -E '^# pass [0-9]+$' "${log}" | awk '{s+=$3} END {print s+0}')
  nf=$(grep -E '^# fail [0-9]+$' "${log}" | awk '{s+=$3} END {print s+0}')
  pp=$(grep -E '^\s+[0-9]+ passed \(' "${log}" | awk '{s+=$1} END {print s+0}')
  pf=$(grep -E '^\s+[0-9]+ failed$' "${log}" | awk '{s+=$1} END {print s+0}')
  p=$((p + np + pp))
  f=$((f + nf + pf))
  if [ "${rc}" -ne 0 ] && [ "${f}" -eq 0 ]; then
    f=1
    echo "==> stage ${stage} failed (exit ${rc}) without a failing test to count"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "${rc}" -eq 0 ] || status=1
done
echo "${passed} passed, ${failed} failed"
exit "${status}"
