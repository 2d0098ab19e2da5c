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
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib.sh
source scripts/lib.sh

# Jest and npm print plain, non-interactive output (no watch mode, no spinners) under CI.
export CI=true
# Colour codes only clutter a saved log; keep them for a person at a terminal.
[[ -t 1 ]] || export NO_COLOR=1

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379

PG_INSTALLED_NOW=false

ensure_system_packages() {
  local missing=()
  { have ffmpeg && have ffprobe; } || missing+=(ffmpeg)
  # The caption tests render Khmer text, which needs a Khmer font.
  [[ -d /usr/share/fonts/truetype/khmeros ]] || missing+=(fonts-khmeros)
  # Thai captions are burned in with Loma.
  [[ -d /usr/share/fonts/truetype/tlwg ]] || missing+=(fonts-thai-tlwg)
  # The browser tests drive Debian's Chromium through playwright-core (a browser download
  # of Playwright's own is not possible here).
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  # Database and Redis servers only when nothing answers already: a machine may well run
  # them some other way (a container, another package).
  if ! pg_ready "$PG_HOST" "$PG_PORT" && ! pg_installed; then
    missing+=(postgresql)
    PG_INSTALLED_NOW=true
  fi
  if ! redis_ready "$REDIS_HOST" "$REDIS_PORT" && ! have redis-server; then missing+=(redis-server); fi

  install_missing "${missing[@]}"
}

ensure_postgres() {
  say "PostgreSQL ($PG_HOST:$PG_PORT)"
  if pg_ready "$PG_HOST" "$PG_PORT"; then
    info "running"
    return 0
  fi
  is_root || die "PostgreSQL is not running on $PG_HOST:$PG_PORT. Start it, or run this script as root to do it for you."
  start_postgres "$PG_HOST" "$PG_PORT" "$PG_INSTALLED_NOW"
}

ensure_redis() {
  say "Redis ($REDIS_HOST:$REDIS_PORT)"
  if redis_ready "$REDIS_HOST" "$REDIS_PORT"; then
    info "running"
    return 0
  fi
  is_root || die "Redis is not running on $REDIS_HOST:$REDIS_PORT. Start it, or run this script as root to do it for you."
  start_redis "$REDIS_HOST" "$REDIS_PORT"
}

main() {
  check_node
  ensure_system_packages
  ensure_postgres
  ensure_redis
  install_and_build
  say "Type-checking the API, tests, bench and web app"
  npm run --silent typecheck
  say "Checking the production dependencies for known advisories"
  bash scripts/audit.sh
  say "Running the tests"
  # exec: the script's exit code is Jest's.
  exec npx --no-install jest --ci "$@"
}

main "$@"
