#!/usr/bin/env bash
# The demo on one line: installs what it needs (npm packages, Debian packages, code-server),
# builds and packages the extension, then starts the sandbox (a local Help Scout with seeded
# data, port 5055) and VS Code (code-server, port 8080) with the extension installed and
# configured against the sandbox. Prints the URL to open; Ctrl+C stops everything.
#   SANDBOX_PORT=5056 VSCODE_PORT=8081 bash scripts/demo.sh   # other ports
#   DEMO_DEV=1 bash scripts/demo.sh                           # load the development folder
#   bash scripts/demo.sh --sandbox-only [sandbox args]        # only the sandbox, as before
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ "${1:-}" = "--sandbox-only" ]; then
  shift
  exec node --import tsx src/sandbox/cli.ts "$@"
fi
bash scripts/vscode-host/install.sh
if [ "${DEMO_DEV:-}" = "1" ]; then
  npm run --silent build
else
  npm run --silent package >/dev/null
fi
exec node --import tsx scripts/vscode-host/demo.ts
