#!/usr/bin/env bash
# The first hour, as a newcomer lives it, in a clean clone: the README's quick start run line by
# line (its server block, the last line of which is `npm start`, kept in the background; its
# client block as one script), under each Node given, then `npm run serve` and `npx satchel-git`.
# It checks that Composer installs the uploaded package, that start-up output fits on one screen
# and says nothing that looks like a failure, and that local data is private.
# usage: test/first-hour/quickstart.sh [system | <node bin dir>]...   (default: system)
# Needs git, curl, zip, composer and php; npm install in the clones uses the registry or its cache.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
readme="$repo/README.md"
[ $# -gt 0 ] || set -- system
base_path="$PATH"
servers=()
cleanup() { for pid in "${servers[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

fail() { echo "first-hour: FAIL: $*" >&2; exit 1; }
# The README's block between <!-- readme-test:NAME --> and <!-- /readme-test -->, without fences.
block() {
  awk -v start="<!-- readme-test:$1 -->" '$0 == start {on = 1; next} $0 == "<!-- /readme-test -->" {on = 0} on && !/^```/' "$readme"
}
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
wait_healthy() { # url log seconds
  for _ in $(seq 1 $(($3 * 4))); do
    curl -sf "$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  cat "$2" >&2
  fail "$1 did not answer /healthz within $3 s"
}
start_bg() { # log command...: in its own process group, so that stopping it stops its children
  setsid "${@:2}" >"$1" 2>&1 &
  servers+=("$!")
}
stop_bg() {
  local pid="${servers[-1]}"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  unset 'servers[-1]'
}
mode() { stat -c %a "$1"; }
check_start_output() { # log
  local lines
  lines=$(grep -c '' "$1")
  [ "$lines" -le 24 ] || { cat "$1"; fail "npm start printed $lines lines (more than a screen)"; }
  if grep -Eiq 'error|fail|warn|about to apply|retrying' "$1"; then cat "$1"; fail "npm start printed something that looks like a failure"; fi
  grep -q "ready on http://127.0.0.1:" "$1" || { cat "$1"; fail "npm start did not say where it listens"; }
  grep -q 'sign in as "admin"' "$1" || { cat "$1"; fail "npm start gave no sign-in hint"; }
}

server_lines="$(block server)"
client_lines="$(block client)"
[ -n "$server_lines" ] && [ -n "$client_lines" ] || fail "README.md has no readme-test:server / readme-test:client blocks"

for node_dir in "$@"; do
  if [ "$node_dir" = system ]; then export PATH="$base_path"; else export PATH="$node_dir:$base_path"; fi
  work="$(mktemp -d /tmp/satchel-first-hour.XXXXXX)"
  label="node $(node --version) ($(command -v node))"
  echo "first-hour: $label in $work"
  git clone -q "$repo" "$work/satchel"
  cd "$work/satchel"
  port="$(free_port)"
  # Before npm install, too old a Node says what to do, as its first line.
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)'; then
    first_line="$(node worker-git/bin/satchel-git.js help 2>&1 | head -n 1 || true)"
    case "$first_line" in "Satchel needs Node.js >= 22.18"*"npm install"*) ;; *) fail "too old a Node printed: $first_line" ;; esac
  fi
  # The README's server block: every line but the last (npm install) in the foreground, timed;
  # the last (npm start) in the background, as in a terminal of its own.
  printf '%s\n' "$server_lines" | sed "s/8080/$port/g" | sed '$d' >"$work/install.sh"
  printf '%s\n' "$server_lines" | sed "s/8080/$port/g" | tail -n 1 >"$work/start.sh"
  started=$(date +%s)
  bash -euo pipefail "$work/install.sh" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "the README's install lines failed"; }
  echo "first-hour: npm install in a clean clone took $(($(date +%s) - started)) s"
  ! grep -q "install-scripts" "$work/install.log" || { cat "$work/install.log"; fail "npm install warned about install scripts"; }

  # PORT (README, Configuration) keeps this run off 8080, which may be taken on a shared machine.
  export PORT="$port"
  start_bg "$work/start.log" bash -euo pipefail "$work/start.sh"
  wait_healthy "http://127.0.0.1:$port" "$work/start.log" 180
  sleep 2 # the git worker's first poll
  check_start_output "$work/start.log"
  grep -q "Applied migration 0000_init.sql" "$work/start.log" || { cat "$work/start.log"; fail "the first start named no migration"; }

  # The README's client block, as one script, in a folder of its own.
  mkdir -p "$work/client" "$work/composer-home"
  printf '%s\n' "$client_lines" | sed "s/8080/$port/g" >"$work/client.sh"
  (cd "$work/client" && COMPOSER_HOME="$work/composer-home" COMPOSER_CACHE_DIR="$work/composer-home/cache" COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1 \
    bash -euo pipefail "$work/client.sh") >"$work/client.log" 2>&1 || { cat "$work/client.log"; fail "the README's client block failed"; }
  grep -q "Hello, Satchel!" "$work/client.log" || { cat "$work/client.log"; fail "the installed package did not run"; }
  [ ! -e "$work/client/my-app/auth.json" ] || fail "the token landed in the project's auth.json"
  [ "$(mode .data)" = 700 ] && [ "$(mode .data/wrangler-state)" = 700 ] || fail "the data folder is not private: $(mode .data) $(mode .data/wrangler-state)"
  stop_bg

  # A restart applies no migration and still fits on a screen.
  start_bg "$work/restart.log" bash -euo pipefail "$work/start.sh"
  wait_healthy "http://127.0.0.1:$port" "$work/restart.log" 120
  sleep 2
  check_start_output "$work/restart.log"
  ! grep -q "Applied migration" "$work/restart.log" || fail "a restart applied migrations again"
  stop_bg

  # npm run serve: the same app on Bun (or Node), with a libSQL file.
  start_bg "$work/serve.log" env ADMIN_USER=admin ADMIN_PASSWORD=choose-a-password npm run serve
  wait_healthy "http://127.0.0.1:$port" "$work/serve.log" 60
  [ "$(mode .data/satchel.db)" = 600 ] || fail ".data/satchel.db is $(mode .data/satchel.db), not 600"
  stop_bg

  npx satchel-git help >/dev/null || fail "npx satchel-git did not run"
  unset PORT
  echo "first-hour: $label passed in $(($(date +%s) - started)) s"
  cd "$repo"
  rm -rf "$work"
done
