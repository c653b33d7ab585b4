#!/usr/bin/env bash
# Runs every test suite in tests/suites/ (in name order) and prints one closing line
# "suites: N passed, N failed". Each suite installs what it needs (apt, pip, npm, cargo).
#
#   bash tests/run-all.sh                 # everything
#   bash tests/run-all.sh 10-rust 40-cf   # only suites whose name starts with these
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failed_names=()
for suite in tests/suites/*.sh; do
  name="$(basename "$suite" .sh)"
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do [[ "$name" == "$want"* ]] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  echo "=== suite $name"
  start=$SECONDS
  if bash "$suite"; then
    passed=$((passed + 1))
    echo "=== suite $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failed_names+=("$name")
    echo "=== suite $name: FAILED ($((SECONDS - start)) s)"
  fi
done
[ $failed -gt 0 ] && echo "failed suites: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
