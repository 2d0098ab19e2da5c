#!/usr/bin/env bash
# Runs the whole test suite. Command 2 of the README (and what CI runs):
#
#   bash scripts/test.sh                 (extra arguments go to Jest, e.g. --selectProjects unit)
#
# Works on a fresh Debian or Ubuntu machine with Node.js 20.19+. Run as root, it installs
# what the tests need and is missing (ffmpeg, Khmer fonts, Chromium, PostgreSQL, Redis),
# starts PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 when they are down,
# installs the npm packages, builds, and runs Jest. Jest's global setup creates its own
# test database and starts its own S3 server, so nothing else is needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Jest and npm print plain, non-interactive output (no watch mode, no spinners) under CI.
export CI=true
# Colour codes only clutter a saved log; keep them for a person at a terminal.
[[ -t 1 ]] || export NO_COLOR=1

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379

say()  { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die()  { printf '\nERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# Retries a check once a second until it succeeds or the time (seconds) runs out.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# bash's /dev/tcp needs no extra tools; the $1/$2 belong to the inner shell.
# shellcheck disable=SC2016
port_open() { timeout 3 bash -c ': >"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

pg_ready() {
  if have pg_isready; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3
  else
    port_open "$PG_HOST" "$PG_PORT"
  fi
}

pg_installed() { have pg_ctlcluster && [[ -n $(ls /etc/postgresql 2>/dev/null) ]]; }

redis_ready() {
  if have redis-cli; then
    [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
  else
    port_open "$REDIS_HOST" "$REDIS_PORT"
  fi
}

check_node() {
  have node || die "Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org), then run this again."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js $(node -v) is too old. Install Node.js 20.19 or newer, then run this again."
}

PG_INSTALLED_NOW=false

ensure_system_packages() {
  local missing=()
  { have ffmpeg && have ffprobe; } || missing+=(ffmpeg)
  # The caption tests render Khmer text, which needs a Khmer font.
  [[ -d /usr/share/fonts/truetype/khmeros ]] || missing+=(fonts-khmeros)
  # The browser tests drive Debian's Chromium through playwright-core (a browser download
  # of Playwright's own is not possible here).
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  # Database and Redis servers only when nothing answers already: a machine may well run
  # them some other way (a container, another package).
  if ! pg_ready && ! pg_installed; then
    missing+=(postgresql)
    PG_INSTALLED_NOW=true
  fi
  if ! redis_ready && ! have redis-server; then missing+=(redis-server); fi

  if ((${#missing[@]} == 0)); then return 0; fi
  is_root || die "Missing system packages: ${missing[*]}. Install them with:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}
then run this again."
  say "Installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# A fresh Debian cluster wants a password over TCP and its postgres role has none, so the
# tests (which sign in as postgres without one) could not connect. Only on a cluster this
# script has just installed, so nothing else relies on its settings, let connections from
# this machine in without a password, as on a developer or CI machine.
pg_trust_loopback() {
  local hba="/etc/postgresql/$1/main/pg_hba.conf"
  [[ -f $hba ]] || return 0
  grep -q '^# migra-media:' "$hba" && return 0
  info "letting local connections (127.0.0.1, ::1) into PostgreSQL without a password"
  {
    echo '# migra-media: local connections without a password (added by scripts/test.sh)'
    echo 'host all all 127.0.0.1/32 trust'
    echo 'host all all ::1/128 trust'
    cat "$hba"
  } >"$hba.new"
  chown --reference="$hba" "$hba.new"
  chmod --reference="$hba" "$hba.new"
  mv "$hba.new" "$hba"
}

ensure_postgres() {
  local version
  say "PostgreSQL ($PG_HOST:$PG_PORT)"
  if pg_ready; then
    info "running"
    return 0
  fi
  is_root || die "PostgreSQL is not running on $PG_HOST:$PG_PORT. Start it, or run this script as root to do it for you."
  # shellcheck disable=SC2012 # cluster versions are plain numbers
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [[ $PG_INSTALLED_NOW == true ]]; then pg_trust_loopback "$version"; fi
  info "starting PostgreSQL $version"
  # Without systemd it can report "failed" while the cluster does come up, and it fails
  # when apt already started it: pg_isready below is what counts.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  if [[ $PG_INSTALLED_NOW == true ]]; then
    # In case apt had already started it: the new pg_hba.conf needs a reload.
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
  fi
  wait_for 30 pg_ready || die "PostgreSQL $version did not come up on $PG_HOST:$PG_PORT. See /var/log/postgresql/ for why."
  info "running"
}

ensure_redis() {
  say "Redis ($REDIS_HOST:$REDIS_PORT)"
  if redis_ready; then
    info "running"
    return 0
  fi
  is_root || die "Redis is not running on $REDIS_HOST:$REDIS_PORT. Start it, or run this script as root to do it for you."
  info "starting redis-server"
  # Tests need no persistence: nothing is written to disk.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  wait_for 15 redis_ready || die "Redis did not come up on $REDIS_HOST:$REDIS_PORT."
  info "running"
}

# npm ci wipes node_modules, so it runs only when the lockfile changed since the last
# install (npm writes node_modules/.package-lock.json at the end of every install).
needs_npm_install() {
  [[ ! -d node_modules || ! -f node_modules/.package-lock.json ]] && return 0
  [[ -f package-lock.json && package-lock.json -nt node_modules/.package-lock.json ]]
}

install_and_build() {
  if needs_npm_install; then
    say "Installing Node.js packages"
    # Exactly the locked versions; package.json's allowScripts decides which install scripts run.
    npm ci --no-audit --no-fund
  fi
  say "Building the API and the web app"
  npm run build
}

main() {
  check_node
  ensure_system_packages
  ensure_postgres
  ensure_redis
  install_and_build
  say "Type-checking the API, tests, bench and web app"
  npm run --silent typecheck
  say "Running the tests"
  # exec: the script's exit code is Jest's.
  exec npx --no-install jest --ci "$@"
}

main "$@"
