#!/usr/bin/env bash
# The whole test suite: installs what it needs, checks types and lint, builds, runs the unit
# suite (mocha under Node), packages the extension, runs the integration suite inside a real
# VS Code against the installed .vsix and the end-to-end suite through Chromium, and prints
# one combined "N passed, N failed" line last. Exits non-zero on any failure; a failure to
# install, package or start VS Code counts as a failure, never as zero tests.
#   SKIP_VSCODE=1 bash scripts/test.sh   # checks and unit tests only (counted as skipped)
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
status=0
mkdir -p artifacts
started=$(date +%s)

count_mocha() { # $1 = log file
  local p f
  p=$(grep -Eo '^[[:space:]]*[0-9]+ passing' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^[[:space:]]*[0-9]+ failing' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

run_suite() { # $1 = name, rest = command; counts mocha's summary, or one failure if it has none
  local name=$1; shift
  local before=$failed t0=$(date +%s)
  "$@" 2>&1 | tee "artifacts/$name.log"
  local rc=${PIPESTATUS[0]}
  count_mocha "artifacts/$name.log"
  if [ "$rc" -ne 0 ]; then
    status=1
    [ "$failed" -eq "$before" ] && failed=$((failed + 1))
  fi
  echo "== $name: exit $rc in $(( $(date +%s) - t0 ))s"
}

step() { # $1 = name, rest = command; one pass or one failure
  local name=$1; shift
  local t0=$(date +%s)
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "== $name FAILED"; fi
  echo "== $name: $(( $(date +%s) - t0 ))s"
}

echo "== checks (types, lint, commands)"
step checks npm run --silent check

echo "== build"
if ! npm run --silent build; then failed=$((failed + 1)); status=1; fi

echo "== unit tests"
run_suite unit npx mocha

if [ "${SKIP_VSCODE:-}" = "1" ]; then
  echo "== VS Code suites skipped (SKIP_VSCODE=1)"
  [ "$failed" -gt 0 ] && status=1
  echo "${passed} passed, ${failed} failed, 2 skipped"
  exit "$status"
fi

echo "== VS Code host (Chromium, code-server)"
step vscode-install bash scripts/vscode-host/install.sh

echo "== package (.vsix)"
rm -f helpscout-vscode.vsix
step package npm run --silent package
if [ -f helpscout-vscode.vsix ]; then npx vsce ls --no-dependencies | sed 's/^/   vsix: /'; fi

echo "== integration tests (inside VS Code, the installed .vsix)"
if npm run --silent build:tests; then
  run_suite integration node --import tsx test/integration/runTests-codeserver.ts --vsix helpscout-vscode.vsix
else
  failed=$((failed + 1)); status=1
fi

echo "== end-to-end tests (Chromium driving VS Code)"
# The package step built dist/ for production; e2e loads the development folder, so rebuild.
npm run --silent build || { failed=$((failed + 1)); status=1; }
run_suite e2e npx mocha --config test/e2e/.mocharc.json 'test/e2e/**/*.test.ts'

echo "== total time $(( $(date +%s) - started ))s"
[ "$failed" -gt 0 ] && status=1
echo "${passed} passed, ${failed} failed"
exit "$status"
