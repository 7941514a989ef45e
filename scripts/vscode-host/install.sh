#!/usr/bin/env bash
# Installs what running the extension inside a real VS Code needs on this kind of machine
# (see README "Testing"): Debian's Chromium, ripgrep and the headers VS Code's native modules
# build against, then code-server (the real VS Code workbench, served over HTTP) into
# .vscode-test/code-server-<version>, outside the project's dependency tree, with the Node
# that release needs.
#
#   bash scripts/vscode-host/install.sh                     # the default release
#   bash scripts/vscode-host/install.sh minimum newest      # names from versions.json ...
#   bash scripts/vscode-host/install.sh 4.90.0 4.139.1      # ... or code-server versions
#   CODE_SERVER_VERSION=4.90.0 bash scripts/vscode-host/install.sh
#
# Each release gets .vscode-test/code-server-<version>/code-server, a small script that puts
# the right Node first on PATH and starts that code-server; scripts/vscode-host/host.ts runs it.
# A release whose package.json asks for another Node major than the machine's gets a Node
# build from the npm registry (package node-linux-<arch>, pinned in versions.json) unpacked
# into .vscode-test/node-<version>; code-server's install (which compiles native modules) and
# code-server itself run with that Node.
#
# Called by scripts/test.sh and scripts/demo.sh before they start VS Code. Idempotent: when
# everything is already there it returns in well under a second. Works as root with no stdin
# (CI) and, for the apt part, through sudo otherwise. Exits non-zero if anything is missing
# afterwards, so callers can count it as a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSIONS_FILE=scripts/vscode-host/versions.json
APT_PACKAGES=(libkrb5-dev ripgrep chromium fonts-dejavu-core)

start=$(date +%s)
log() { echo "[vscode-host install] $*"; }

# A name from versions.json (default, minimum, newest) or a code-server version.
resolve_version() {
  case "$1" in
    default | minimum | newest) node -p "require('./$VERSIONS_FILE')['$1']" ;;
    [0-9]*) echo "$1" ;;
    *) log "unknown code-server version '$1' (a version such as 4.90.0, or default, minimum, newest)" >&2; return 1 ;;
  esac
}

requested=("$@")
[ "${#requested[@]}" -gt 0 ] || requested=("${CODE_SERVER_VERSION:-default}")
versions=()
for r in "${requested[@]}"; do versions+=("$(resolve_version "$r")"); done

system_node_major=$(node -p 'process.versions.node.split(".")[0]')
case "$(uname -m)" in
  x86_64) node_arch=x64; rg_target=x86_64-unknown-linux-musl ;;
  aarch64) node_arch=arm64; rg_target=aarch64-unknown-linux-musl ;;
  *) log "unsupported machine $(uname -m)"; exit 1 ;;
esac

# True when this code-server release finished installing and still has the Node it was built for.
installed() { # $1 = version
  local dir=".vscode-test/code-server-$1"
  [ -f "$dir/.installed" ] && [ -x "$dir/code-server" ] && [ -x "$dir/node_modules/.bin/code-server" ] || return 1
  local node
  node=$(sed -n 's/^node=//p' "$dir/.installed")
  case "$node" in
    system-*) [ "$node" = "system-$system_node_major" ] ;;
    *) [ -x ".vscode-test/node-$node/bin/node" ] ;;
  esac
}

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

# 2. code-server, for each release not installed yet.
todo=()
for v in "${versions[@]}"; do
  if installed "$v"; then
    log "code-server $v already installed ($(sed -n 's/^vscode=/VS Code /p' ".vscode-test/code-server-$v/.installed"))"
  else
    todo+=("$v")
  fi
done
[ "${#todo[@]}" -gt 0 ] || exit 0

mkdir -p .vscode-test
# One install at a time in this folder (another shell may be running the tests too).
exec 9>.vscode-test/.install.lock
flock 9
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Packs a registry package into $tmp (npm's cache keeps it for the install) and prints its path.
pack() {
  local name
  name=$(cd "$tmp" && npm pack --silent "$1" </dev/null | tail -1)
  [ -f "$tmp/$name" ] || { log "npm pack $1 failed"; return 1; }
  echo "$tmp/$name"
}

# Unpacks Node $1 from the npm registry into .vscode-test/node-$1 unless it is there.
install_node() {
  local version=$1 dir=".vscode-test/node-$1" tgz
  if [ -x "$dir/bin/node" ] && "$dir/bin/node" -v >/dev/null 2>&1; then return 0; fi
  local t0=$(date +%s)
  tgz=$(pack "node-linux-$node_arch@$version")
  rm -rf "$dir" "$dir.partial"
  mkdir -p "$dir.partial"
  tar xzf "$tgz" -C "$dir.partial" --strip-components=1
  mv "$dir.partial" "$dir"
  [ "$("$dir/bin/node" -v)" = "v$version" ] || { log "Node $version does not run here"; return 1; }
  log "Node $version unpacked into $dir in $(( $(date +%s) - t0 ))s"
}

install_code_server() {
  local version=$1 dir=".vscode-test/code-server-$1" t0=$(date +%s)
  installed "$version" && return 0 # another shell finished it while this one waited
  log "installing code-server $version into $dir (takes a few minutes the first time)"
  local tgz node_major rg_version node_version node_note path_prefix="" nodedir=""
  tgz=$(pack "code-server@$version")
  node_major=$(tar -xOzf "$tgz" package/package.json | node -p 'String(JSON.parse(require("fs").readFileSync(0, "utf8")).engines.node).match(/\d+/)[0]')
  rg_version=$(tar -xOzf "$tgz" package/lib/vscode/npm-shrinkwrap.json |
    node -p '(JSON.parse(require("fs").readFileSync(0, "utf8")).packages["node_modules/@vscode/ripgrep"] ?? {}).version ?? ""')

  # @vscode/ripgrep's install script downloads rg from the internet, which this machine cannot
  # reach; it looks in a cache named after its own version first, for an asset named after the
  # ripgrep release it pins, so Debian's rg is put there. (Newer VS Code uses
  # @vscode/ripgrep-universal, which ships its binaries in the package: nothing to do.)
  if [ -n "$rg_version" ]; then
    local rg_release cache asset
    rg_release=$(tar -xOzf "$(pack "@vscode/ripgrep@$rg_version")" package/lib/postinstall.js |
      sed -n "s/^const VERSION = '\([^']*\)'.*/\1/p")
    [ -n "$rg_release" ] || { log "no ripgrep release found in @vscode/ripgrep@$rg_version"; return 1; }
    cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_version"
    asset="ripgrep-$rg_release-$rg_target.tar.gz"
    if [ ! -s "$cache/$asset" ]; then
      mkdir -p "$cache" "$tmp/rg"
      cp /usr/bin/rg "$tmp/rg/rg"
      tar czf "$cache/$asset" -C "$tmp/rg" rg
    fi
  fi

  # The Node this release asks for: the machine's when the major matches, else one from npm.
  if [ "$node_major" = "$system_node_major" ]; then
    node_note="system-$system_node_major"
    # node-gyp must build native modules against the installed Node's headers: downloading
    # them is not possible here. This machine kind sets nodedir in npm's config; make sure of it.
    if [ -f /usr/include/node/node.h ] && [ "$(npm config get nodedir 2>/dev/null)" = "undefined" ]; then
      nodedir=/usr
    fi
  else
    node_version=$(node -p "require('./$VERSIONS_FILE').node['$node_major'] ?? ''")
    if [ -z "$node_version" ]; then
      node_version=$(npm view "node-linux-$node_arch@^$node_major" version --json </dev/null |
        node -p 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); Array.isArray(v) ? v.at(-1) : v')
    fi
    install_node "$node_version"
    node_note=$node_version
    path_prefix="$PWD/.vscode-test/node-$node_version/bin"
    nodedir="$PWD/.vscode-test/node-$node_version" # its include/node has the headers
  fi

  rm -rf "$dir"
  mkdir -p "$dir"
  printf '{ "name": "vscode-test-host", "private": true }\n' > "$dir/package.json"
  # --unsafe-perm: as root, npm would otherwise run the install scripts as nobody and fail.
  # npm_config_yes: node-pty's install script fetches node-gyp through npx without prompting.
  # npm runs under the Node first on PATH, and code-server's install script checks that
  # Node's major (through npm's user agent).
  (
    cd "$dir"
    [ -z "$path_prefix" ] || export PATH="$path_prefix:$PATH"
    [ -z "$nodedir" ] || export npm_config_nodedir="$nodedir"
    # Older native modules (kerberos 2.0.x, in VS Code 1.90) define NAPI_EXPERIMENTAL and were
    # written before newer Node headers made finalizers take a const env; these defines are the
    # headers' own opt-out (the old and the new name), without which they don't compile.
    export CXXFLAGS="${CXXFLAGS:-} -DNODE_API_EXPERIMENTAL_NOGC_ENV_OPT_OUT -DNODE_API_EXPERIMENTAL_BASIC_ENV_OPT_OUT"
    npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error \
      "code-server@$version" </dev/null
  )
  [ -x "$dir/node_modules/.bin/code-server" ] || { log "code-server binary missing after install"; return 1; }

  {
    echo '#!/bin/sh'
    echo "# code-server $version with the Node it was installed for (written by scripts/vscode-host/install.sh)."
    echo 'here=$(cd "$(dirname "$0")" && pwd)'
    [ -z "$path_prefix" ] || echo "PATH=\"\$here/../node-$node_version/bin:\$PATH\"; export PATH"
    echo 'exec "$here/node_modules/.bin/code-server" "$@"'
  } > "$dir/code-server"
  chmod +x "$dir/code-server"

  local about vscode
  about=$("$dir/code-server" --version 2>/dev/null | head -1)
  vscode=$(echo "$about" | sed -n 's/.*with Code \([0-9.]*\).*/\1/p')
  [ -n "$vscode" ] || { log "code-server $version does not start: $about"; return 1; }
  printf 'seconds=%s\nvscode=%s\nnode=%s\n' "$(( $(date +%s) - t0 ))" "$vscode" "$node_note" > "$dir/.installed"
  log "code-server $version (VS Code $vscode, Node ${node_note#system-}) installed in $(( $(date +%s) - t0 ))s"
}

for v in "${todo[@]}"; do install_code_server "$v"; done
log "done in $(( $(date +%s) - start ))s"
