#!/usr/bin/env bash
# Stops what scripts/up.sh started: the API, the worker and the local S3 server.
# PostgreSQL and Redis are left running: they are system services that other programs on
# this machine may use too, and up.sh finds them running next time.
#
#   bash scripts/down.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUN_DIR=.data/run

info() { printf '    %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*" >&2; }

STOPPED=0

# Stops a process started by up.sh, if it is still the one up.sh started (a pid can be
# reused by an unrelated program after a reboot).
stop_started() {
  local label=$2 pattern=$3 grace=$4 pidfile="$RUN_DIR/$1.pid" pid args waited=0
  [[ -f $pidfile ]] || return 0
  pid=$(<"$pidfile")
  # /proc rather than ps: minimal Debian images have no procps.
  args=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
  if [[ $pid =~ ^[0-9]+$ && $args == *"$pattern"* ]]; then
    info "Stopping the $label (pid $pid)..."
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < grace)); do
      sleep 1
      waited=$((waited + 1))
      if ((waited % 15 == 0)); then info "still finishing its current work, waiting up to ${grace}s..."; fi
    done
    if kill -0 "$pid" 2>/dev/null; then
      warn "the $label did not stop within ${grace}s; forcing it."
      kill -KILL "$pid" 2>/dev/null || true
    fi
    STOPPED=$((STOPPED + 1))
  fi
  rm -f "$pidfile"
}

# API first, so no new work comes in; then the worker, which may need a couple of minutes
# to finish the job in hand; S3 last, because that job still writes its results there.
stop_started api API dist/main.js 30
stop_started worker worker dist/worker.js 120
stop_started local-s3 'local S3 server' 'dist/cli.js local-s3' 15

if ((STOPPED == 0)); then
  info "Nothing to stop: Migra Media was not running (from scripts/up.sh)."
else
  info "Migra Media is stopped. Start it again with: bash scripts/up.sh"
fi
