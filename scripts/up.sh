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

LOG_DIR=.data/logs
RUN_DIR=.data/run
READY_TIMEOUT=90

say()  { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*" >&2; }
die()  { printf '\nERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

APT_UPDATED=false
apt_install() {
  # One `apt-get update` per run: it is slow, and the lists don't change within minutes.
  if [[ $APT_UPDATED == false ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

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

# --- Processes this script starts, tracked by pid file ---------------------------------

# Stops a process started by an earlier run, if it is still the one we started (a pid can
# be reused by an unrelated program after a reboot).
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
      sleep 1
    fi
  fi
  rm -f "$pidfile"
}

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

check_node() {
  have node || die "Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org), then run this again."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js $(node -v) is too old. Install Node.js 20.19 or newer, then run this again."
}

ensure_media_tools() {
  local missing=()
  { have ffmpeg && have ffprobe; } || missing+=(ffmpeg)
  # Without Khmer fonts, captions burned into videos show empty boxes instead of letters.
  [[ -d /usr/share/fonts/truetype/khmeros ]] || missing+=(fonts-khmeros)
  ((${#missing[@]} == 0)) && return 0
  is_root || die "Missing system packages: ${missing[*]}. Install them with:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}
then run this again."
  say "Installing ${missing[*]}"
  apt_install "${missing[@]}"
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

pg_ready() {
  if have pg_isready; then
    pg_isready -q -h "$1" -p "$2" -t 3
  else
    port_open "$1" "$2"
  fi
}

# A fresh Debian cluster wants a password over TCP and its postgres role has none, so the
# default DATABASE_URL (no password) could never sign in. Only on a cluster this script
# has just installed, so nothing else relies on its settings, let connections from this
# machine in without a password, as on a developer machine.
pg_trust_loopback() {
  local hba="/etc/postgresql/$1/main/pg_hba.conf"
  [[ -f $hba ]] || return 0
  grep -q '^# migra-media:' "$hba" && return 0
  info "Letting local connections (127.0.0.1, ::1) into PostgreSQL without a password"
  {
    echo '# migra-media: local connections without a password (added by scripts/up.sh)'
    echo 'host all all 127.0.0.1/32 trust'
    echo 'host all all ::1/128 trust'
    cat "$hba"
  } >"$hba.new"
  chown --reference="$hba" "$hba.new"
  chmod --reference="$hba" "$hba.new"
  mv "$hba.new" "$hba"
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
  local raw host port db admin_url version installed=false
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
    if ! have pg_ctlcluster || [[ -z $(ls /etc/postgresql 2>/dev/null) ]]; then
      info "not installed; installing it"
      apt_install postgresql
      installed=true
    fi
    # shellcheck disable=SC2012 # cluster versions are plain numbers
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    if [[ $installed == true ]]; then pg_trust_loopback "$version"; fi
    info "starting PostgreSQL $version"
    # Without systemd it can report "failed" while the cluster does come up, and it fails
    # when apt already started it: the readiness check below is what counts.
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    if [[ $installed == true ]]; then
      # In case apt had already started it: the new pg_hba.conf needs a reload.
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
    fi
    wait_for 30 pg_ready "$host" "$port" ||
      die "PostgreSQL $version did not come up on $host:$port. See /var/log/postgresql/ for why, and check that DATABASE_URL's port matches the port in /etc/postgresql/$version/main/postgresql.conf."
    info "running"
  fi

  ensure_database "$admin_url" "$db" ||
    die "Could not reach or create the database \"$db\" with DATABASE_URL from .env (the reason is above). Check the user name and password in it; the user needs the right to create databases (CREATEDB), or create \"$db\" yourself."
}

redis_ready() {
  if have redis-cli; then
    [[ $(redis-cli --no-auth-warning -u "$REDIS_URL" ping 2>/dev/null) == PONG ]]
  else
    port_open "$1" "$2"
  fi
}

ensure_redis() {
  local raw host port
  local -a parts
  raw=$(url_parts "${REDIS_URL:?REDIS_URL is not set in .env}") || die "REDIS_URL in .env is not a valid URL."
  mapfile -t parts <<<"$raw"
  host=${parts[0]:-127.0.0.1} port=${parts[1]:-6379}

  say "Redis ($host:$port)"
  if redis_ready "$host" "$port"; then
    info "running"
    return 0
  fi
  is_local_host "$host" || die "Redis at $host:$port does not answer. Start it, or fix REDIS_URL in .env."
  is_root || die "Redis is not running on $host:$port. Start it (or install it: sudo apt-get install -y redis-server), or run this script as root to do it for you."
  if ! have redis-server; then
    info "not installed; installing it"
    apt_install redis-server
  fi
  # apt may have started it already; a second server on the same port would just exit.
  if ! redis_ready "$host" "$port"; then
    info "starting redis-server on port $port"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no >/dev/null
  fi
  wait_for 15 redis_ready "$host" "$port" || die "Redis did not come up on port $port."
  info "running"
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
    warn "$S3_ENDPOINT does not answer. The app will start, and http://127.0.0.1:${PORT:-3000}/ready will say what is wrong."
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
  stop_started api API dist/main.js 30
  stop_started worker worker dist/worker.js 120
  if needs_npm_install; then stop_started local-s3 'local S3 server' 'dist/cli.js local-s3' 15; fi

  install_and_build
  ensure_postgres
  ensure_redis
  ensure_s3
  prepare_database
  start_app

  say "Migra Media is running"
  if [[ -n ${DEMO_OUTPUT:-} ]]; then printf '%s\n\n' "$DEMO_OUTPUT"; fi
  info "Open:  ${PUBLIC_URL:-http://localhost:${PORT:-3000}}"
  info "Logs:  $LOG_DIR/api.log  $LOG_DIR/worker.log"
  info "Stop:  bash scripts/down.sh"
}

main "$@"
