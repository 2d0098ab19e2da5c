#!/usr/bin/env bash
# Stops what scripts/up.sh started: the API, the worker, the simulated Page and the local S3 server.
# PostgreSQL and Redis are left running: they are system services that other programs on
# this machine may use too, and up.sh finds them running next time.
#
#   bash scripts/down.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib.sh
source scripts/lib.sh

# API first, so no new work comes in; then the worker, which may need a couple of minutes
# to finish the job in hand; S3 last, because that job still writes its results there.
stop_api
stop_worker
stop_simulated_page
stop_local_s3

if ((STOPPED == 0)); then
  info "Nothing to stop: Migra Media was not running (from scripts/up.sh)."
else
  info "Migra Media is stopped. Start it again with: bash scripts/up.sh"
fi
