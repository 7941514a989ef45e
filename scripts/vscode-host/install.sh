#!/usr/bin/env bash
# Installs what running the extension inside a real VS Code needs on this kind of machine
# (see README "Testing"): Debian's Chromium, ripgrep and the headers VS Code's native modules
# build against, then code-server (the real VS Code workbench, served over HTTP) into
# .vscode-test/code-server, outside the project's dependency tree.
#
# Called by scripts/test.sh and scripts/demo.sh before they start VS Code. Idempotent: when
# everything is already there it returns in well under a second. Works as root with no stdin
# (CI) and, for the apt part, through sudo otherwise. Exits non-zero if anything is missing
# afterwards, so callers can count it as a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep version pinned by that code-server's VS Code, and the ripgrep release it asks for.
VSCODE_RIPGREP_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES=(libkrb5-dev ripgrep chromium fonts-dejavu-core)

dir=.vscode-test/code-server
marker="$dir/.installed-$CODE_SERVER_VERSION"
start=$(date +%s)
log() { echo "[vscode-host install] $*"; }

# 1. Debian packages, with `apt-get update` only when something is missing.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo -n); fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q </dev/null
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  log "Debian packages installed in $(( $(date +%s) - start ))s"
fi
for b in /usr/bin/chromium /usr/bin/rg; do
  [ -x "$b" ] || { log "missing $b after apt-get install"; exit 1; }
done

# 2. code-server, unless this exact version already finished installing.
if [ -f "$marker" ] && [ -x "$dir/node_modules/.bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION already installed ($(( $(date +%s) - start ))s)"
  exit 0
fi

# @vscode/ripgrep's install script downloads rg from the internet, which this machine cannot
# reach; it looks in this cache first, so Debian's rg is put there.
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
if [ ! -s "$cache/$RIPGREP_ASSET" ]; then
  tmp=$(mktemp -d)
  mkdir -p "$cache"
  cp /usr/bin/rg "$tmp/rg"
  tar czf "$cache/$RIPGREP_ASSET" -C "$tmp" rg
  rm -rf "$tmp"
fi

log "installing code-server $CODE_SERVER_VERSION into $dir (takes a few minutes the first time)"
cs_start=$(date +%s)
rm -rf "$dir"
mkdir -p "$dir"
printf '{ "name": "vscode-test-host", "private": true }\n' > "$dir/package.json"
# node-gyp must build native modules against the installed Node's headers: downloading them
# is not possible here. This machine kind sets nodedir in npm's config; make sure of it.
if [ -f /usr/include/node/node.h ] && [ "$(npm config get nodedir 2>/dev/null)" = "undefined" ]; then
  export npm_config_nodedir=/usr
fi
# --unsafe-perm: as root, npm would otherwise run the install scripts as nobody and fail.
# npm_config_yes: node-pty's install script fetches node-gyp through npx without prompting.
( cd "$dir" && npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" </dev/null )
[ -x "$dir/node_modules/.bin/code-server" ] || { log "code-server binary missing after install"; exit 1; }
"$dir/node_modules/.bin/code-server" --version >/dev/null
elapsed=$(( $(date +%s) - start ))
echo "$elapsed" > "$marker"
log "code-server $CODE_SERVER_VERSION installed in $(( $(date +%s) - cs_start ))s (whole install ${elapsed}s)"
