#!/usr/bin/env bash
# The main job on the embedded default: a local Help Scout (the sandbox) with
# seeded data, ready for the extension to point at.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
exec npx tsx src/sandbox/cli.ts "$@"
