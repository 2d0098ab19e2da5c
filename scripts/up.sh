#!/usr/bin/env bash
# Starts the whole of Migra Media on this machine: API, worker and the web app, with
# PostgreSQL, Redis and S3 storage. Command 1 of the README quick start:
#
#   bash scripts/up.sh        (stop it with: bash scripts/down.sh)
#
# Made for a fresh Debian or Ubuntu machine with Node.js 20.19+. Run as root, it installs
# what is missing (ffmpeg, Khmer fonts, PostgreSQL, Redis) with apt-get. Running it again
# rebuilds the app and restarts the API and worker.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib.sh
source scripts/lib.sh

LOG_DIR=.data/logs
READY_TIMEOUT=90

is_local_host() {
  case $1 in
    localhost | 127.* | ::1 | '') return 0 ;;
    *) return 1 ;;
  esac
}

# Splits a URL into host, port, user, password and database (the path), one per line,
# then the same URL pointed at the `postgres` database. Node's URL parser gets
# percent-encoding and IPv6 right, which sed would not.
url_parts() {
  node -e '
    const u = new URL(process.argv[1]);
    const ports = { "postgres:": 5432, "postgresql:": 5432, "redis:": 6379, "rediss:": 6379, "http:": 80, "https:": 443 };
    const admin = new URL(u.href);
    admin.pathname = "/postgres";
    console.log([
      u.hostname.replace(/^\[|\]$/g, ""),
      u.port || ports[u.protocol] || "",
      decodeURIComponent(u.username),
      decodeURIComponent(u.password),
      decodeURIComponent(u.pathname.slice(1)),
      admin.href,
    ].join("\n"));
  ' "$1"
}

# --- Processes this script starts, tracked by pid files in $RUN_DIR (lib.sh) ----------

# Starts a command in the background, detached from this terminal (its own session, so
# closing the terminal or pressing Ctrl-C here doesn't stop it), logging to a file.
start_background() {
  local name=$1 log="$LOG_DIR/$1.log"
  shift
  # Keep one previous log, so the log of a failed start survives the next try.
  [[ -f $log ]] && mv -f "$log" "$log.1"
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

is_running() {
  local pid
  pid=$(cat "$RUN_DIR/$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null
}

show_log_tail() {
  printf '\n--- last lines of %s ---\n' "$LOG_DIR/$1.log" >&2
  tail -n 40 "$LOG_DIR/$1.log" >&2 || true
  printf -- '--- end of log ---\n' >&2
}

# --- Steps ------------------------------------------------------------------------------

ensure_media_tools() {
  local missing=()
  { have ffmpeg && have ffprobe; } || missing+=(ffmpeg)
  # Without Khmer fonts, captions burned into videos show empty boxes instead of letters.
  [[ -d /usr/share/fonts/truetype/khmeros ]] || missing+=(fonts-khmeros)
  # Thai captions are burned in with Loma.
  [[ -d /usr/share/fonts/truetype/tlwg ]] || missing+=(fonts-thai-tlwg)
  install_missing "${missing[@]}"
}

ensure_env_file() {
  if [[ ! -f .env ]]; then
    [[ -f .env.example ]] || die ".env.example is missing; is this the Migra Media folder?"
    say "Creating .env from .env.example (with a new random JWT_SECRET)"
    local secret
    # base64url has no characters that sed or a shell would treat specially.
    secret=$(node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))')
    # .env holds secrets: readable by its owner only.
    (umask 077 && sed "s|^JWT_SECRET=.*|JWT_SECRET=${secret}|" .env.example >.env)
    grep -q '^JWT_SECRET=' .env || echo "JWT_SECRET=${secret}" >>.env
  fi
  ensure_page_token_key
}

# A .env written before Page tokens were encrypted has no key yet: add one, and never replace
# one that is set (tokens saved with it could no longer be read).
ensure_page_token_key() {
  grep -q '^PAGE_TOKEN_ENCRYPTION_KEY=.' .env && return 0
  info "adding a new random PAGE_TOKEN_ENCRYPTION_KEY to .env"
  local key
  # Standard base64 (the app wants exactly that); its + and / are safe with sed's | separator.
  key=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))')
  if grep -q '^PAGE_TOKEN_ENCRYPTION_KEY=' .env; then
    sed -i "s|^PAGE_TOKEN_ENCRYPTION_KEY=.*|PAGE_TOKEN_ENCRYPTION_KEY=${key}|" .env
  else
    echo "PAGE_TOKEN_ENCRYPTION_KEY=${key}" >>.env
  fi
}

# Reads KEY=VALUE lines from .env into the environment. A variable already set in the
# environment wins, as with dotenv and `node --env-file`, so
# `PORT=4000 bash scripts/up.sh` works. Not `source`d, so a value with spaces or a $ is
# taken as it is instead of being run as shell code.
load_env_file() {
  local line key value
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"([^\"]*)\" || $value =~ ^\'([^\']*)\' ]]; then
      value=${BASH_REMATCH[1]}
    else
      value=${value%%[[:space:]]#*}
      value=${value%"${value##*[![:space:]]}"}
    fi
    [[ -n ${!key+set} ]] && continue
    export "$key=$value"
  done <.env
}

# Creates DATABASE_URL's database when it is missing, connecting as DATABASE_URL's user to
# the `postgres` database (a database can't be created from inside itself).
ensure_database() {
  local admin_url=$1 db=$2 exists
  if ! have psql; then
    # No psql (say, a remote server): the app's own driver does the same job.
    # shellcheck disable=SC2016 # JavaScript, not shell
    node -e '
      const { Client } = require("pg");
      const [url, db] = process.argv.slice(1);
      const c = new Client({ connectionString: url });
      (async () => {
        await c.connect();
        const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
        if (!rowCount) {
          console.log(`    creating the database "${db}"`);
          await c.query(`CREATE DATABASE "${db.replace(/"/g, "\"\"")}"`);
        }
        await c.end();
      })().catch((e) => { console.error(e.message); process.exit(1); });
    ' "$admin_url" "$db"
    return
  fi
  # SQL comes on stdin because psql fills in :'db' / :"db" (quoted, so any name is safe)
  # only there, not in -c.
  exists=$(psql "$admin_url" -X -q -tA -v ON_ERROR_STOP=1 -v db="$db" \
    <<<"SELECT 1 FROM pg_database WHERE datname = :'db';") || return 1
  if [[ -z $exists ]]; then
    info "creating the database \"$db\""
    psql "$admin_url" -X -q -v ON_ERROR_STOP=1 -v db="$db" <<<'CREATE DATABASE :"db";'
  fi
}

ensure_postgres() {
  local raw host port db admin_url installed=false
  local -a parts
  raw=$(url_parts "${DATABASE_URL:?DATABASE_URL is not set in .env}") || die "DATABASE_URL in .env is not a valid URL."
  mapfile -t parts <<<"$raw"
  host=${parts[0]:-127.0.0.1} port=${parts[1]:-5432} db=${parts[4]:-} admin_url=${parts[5]:-}
  [[ -n $db ]] || die "DATABASE_URL in .env names no database (it should end in /migra_media or similar)."

  say "PostgreSQL ($host:$port)"
  if pg_ready "$host" "$port"; then
    info "running"
  else
    is_local_host "$host" || die "PostgreSQL at $host:$port does not answer. Start it, or fix DATABASE_URL in .env."
    is_root || die "PostgreSQL is not running on $host:$port. Start it (or install it: sudo apt-get install -y postgresql), or run this script as root to do it for you."
    if ! pg_installed; then
      info "not installed; installing it"
      apt_install postgresql
      installed=true
    fi
    start_postgres "$host" "$port" "$installed" "DATABASE_URL's port"
  fi

  ensure_database "$admin_url" "$db" ||
    die "Could not reach or create the database \"$db\" with DATABASE_URL from .env (the reason is above). Check the user name and password in it; the user needs the right to create databases (CREATEDB), or create \"$db\" yourself."
}

ensure_redis() {
  local raw host port
  local -a parts
  raw=$(url_parts "${REDIS_URL:?REDIS_URL is not set in .env}") || die "REDIS_URL in .env is not a valid URL."
  mapfile -t parts <<<"$raw"
  host=${parts[0]:-127.0.0.1} port=${parts[1]:-6379}

  say "Redis ($host:$port)"
  if redis_ready "$host" "$port" "$REDIS_URL"; then
    info "running"
  else
    is_local_host "$host" || die "Redis at $host:$port does not answer. Start it, or fix REDIS_URL in .env."
    is_root || die "Redis is not running on $host:$port. Start it (or install it: sudo apt-get install -y redis-server), or run this script as root to do it for you."
    if ! have redis-server; then
      info "not installed; installing it"
      apt_install redis-server
    fi
    start_redis "$host" "$port" "$REDIS_URL" .data/redis
  fi
  # Also when apt started it, with its own settings: it is left as it is, but said so.
  check_redis_settings "$REDIS_URL"
}

local_s3_answers() { is_running local-s3 && port_open "$1" "$2"; }

ensure_s3() {
  local raw host port
  local -a parts
  say "S3 storage (${S3_ENDPOINT:-AWS S3})"
  if [[ -z ${S3_ENDPOINT:-} ]]; then
    info "S3_ENDPOINT is empty: using AWS S3 with the bucket ${S3_BUCKET:-?}"
    return 0
  fi
  raw=$(url_parts "$S3_ENDPOINT") || die "S3_ENDPOINT in .env is not a valid URL."
  mapfile -t parts <<<"$raw"
  host=${parts[0]} port=${parts[1]}
  if port_open "$host" "$port"; then
    info "running"
    return 0
  fi
  if ! is_local_host "$host"; then
    warn "$S3_ENDPOINT does not answer. The app will start; http://127.0.0.1:${PORT:-3000}/ready names what is down, and /api/admin/ready (signed in as an admin) says why."
    return 0
  fi
  info "starting the local S3 server (data in .data/s3, log in $LOG_DIR/local-s3.log)"
  start_background local-s3 node dist/cli.js local-s3
  if ! wait_for 30 local_s3_answers "$host" "$port"; then
    show_log_tail local-s3
    die "The local S3 server did not start on port $port (its log is above)."
  fi
  info "running"
}

prepare_database() {
  say "Updating the database schema"
  node dist/cli.js migrate
  say "Adding the demo data"
  # Printed at the very end instead, where people look for the sign-in details.
  DEMO_OUTPUT=$(node dist/cli.js seed-demo) || {
    printf '%s\n' "$DEMO_OUTPUT"
    die "Adding the demo data failed (see above)."
  }
  info "done"
}

# With no real Page connected, the fake Graph API from test/fake-graph runs as a clearly labelled
# simulated Page, so a newcomer can schedule and publish end to end; nothing reaches Facebook. The API
# and the worker are pointed at it. An admin who connects a real Page stops this from the next start.
ensure_page() {
  local status file=.data/simulated-page.json port=${SIMULATED_PAGE_PORT:-4580}
  say "Facebook Page"
  status=$(node dist/cli.js page-status) || die "Could not read the Page connection (see above)."
  if [[ $status == real ]]; then
    info "a real Page is connected"
    return 0
  fi
  stop_simulated_page
  rm -f "$file"
  start_background simulated-page node -r ts-node/register/transpile-only test/fake-graph/simulated-page.ts --port "$port" --out "$file"
  wait_for 20 test -s "$file" || { show_log_tail simulated-page; die "The simulated Page did not start (its log is above)."; }
  GRAPH_API_BASE_URL=$(node -p 'require(process.argv[1]).GRAPH_API_BASE_URL' "$PWD/$file")
  GRAPH_VIDEO_BASE_URL=$(node -p 'require(process.argv[1]).GRAPH_VIDEO_BASE_URL' "$PWD/$file")
  export GRAPH_API_BASE_URL GRAPH_VIDEO_BASE_URL
  node dist/cli.js connect-simulated-page --file "$file" || die "Could not connect the simulated Page (see above)."
  info "SIMULATED Page at $GRAPH_API_BASE_URL: posts go nowhere; connect the real Page as an admin to publish"
}

api_ready() {
  node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })
      .then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1));
  ' "$1"
}

api_ready_or_dead() { ! is_running api || api_ready "$1"; }

start_app() {
  local port=${PORT:-3000} ready_url
  ready_url="http://127.0.0.1:$port/ready"
  say "Starting the API and the worker"
  # Otherwise the readiness check below could be answered by whatever holds the port.
  if port_open 127.0.0.1 "$port"; then
    die "Port $port is already in use by another program. Stop that program, or set PORT (and PUBLIC_URL) in .env to a free port."
  fi
  start_background api node dist/main.js
  start_background worker node dist/worker.js

  info "waiting for $ready_url (up to ${READY_TIMEOUT}s)"
  if ! wait_for "$READY_TIMEOUT" api_ready_or_dead "$ready_url" || ! is_running api; then
    show_log_tail api
    die "The API did not become ready (its log is above; the whole log is $LOG_DIR/api.log). Stop what started with: bash scripts/down.sh"
  fi
  if ! is_running worker; then
    show_log_tail worker
    die "The worker stopped right after starting (its log is above). Stop the rest with: bash scripts/down.sh"
  fi
}

main() {
  check_node
  ensure_media_tools
  ensure_env_file
  load_env_file
  mkdir -p "$LOG_DIR" "$RUN_DIR"

  # Stop the previous run's processes before their code and packages are replaced.
  # The worker is given time to finish the job in hand.
  stop_api
  stop_worker
  if needs_npm_install; then stop_local_s3; fi

  install_and_build
  ensure_postgres
  ensure_redis
  ensure_s3
  prepare_database
  ensure_page
  start_app

  say "Migra Media is running"
  if [[ -n ${DEMO_OUTPUT:-} ]]; then printf '%s\n\n' "$DEMO_OUTPUT"; fi
  info "Open:  ${PUBLIC_URL:-http://localhost:${PORT:-3000}}"
  info "Logs:  $LOG_DIR/api.log  $LOG_DIR/worker.log"
  info "Stop:  bash scripts/down.sh"
}

main "$@"
