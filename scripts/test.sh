#!/usr/bin/env bash
# The whole test suite: installs what it needs, checks types and lint, builds,
# runs every suite, and prints one combined "N passed, N failed" line last.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
status=0
mkdir -p artifacts

count_mocha() { # $1 = log file
  local p f
  p=$(grep -Eo '^[[:space:]]*[0-9]+ passing' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^[[:space:]]*[0-9]+ failing' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

run_suite() { # $1 = name, rest = command; counts mocha's summary, or one failure if it has none
  local name=$1; shift
  local before=$failed
  "$@" 2>&1 | tee "artifacts/$name.log"
  local rc=${PIPESTATUS[0]}
  count_mocha "artifacts/$name.log"
  if [ "$rc" -ne 0 ]; then
    status=1
    [ "$failed" -eq "$before" ] && failed=$((failed + 1))
  fi
}

echo "== checks (types, lint, commands)"
if ! npm run --silent check; then failed=$((failed + 1)); status=1; else passed=$((passed + 1)); fi

echo "== build"
if ! npm run --silent build; then failed=$((failed + 1)); status=1; fi

echo "== unit tests"
run_suite unit npx mocha

[ "$failed" -gt 0 ] && status=1
echo "${passed} passed, ${failed} failed"
exit "$status"
