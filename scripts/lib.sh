# shellcheck shell=bash
# Helpers shared by scripts/up.sh, scripts/test.sh and scripts/down.sh. Sourced by them
# (after they cd to the repo root), not run on its own; each of them sets
# `set -euo pipefail` itself. Messages that name a script use the one that is running.

# --- Output and small checks ------------------------------------------------------------

say()  { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*" >&2; }
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

# --- System packages --------------------------------------------------------------------

APT_UPDATED=false
apt_install() {
  # One `apt-get update` per run: it is slow, and the lists don't change within minutes.
  if [[ $APT_UPDATED == false ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# Installs the Debian packages given (nothing when none are), or, when not root, says how
# to install them and stops.
install_missing() {
  if (($# == 0)); then return 0; fi
  is_root || die "Missing system packages: $*. Install them with:
    sudo apt-get update && sudo apt-get install -y $*
then run this again."
  say "Installing $*"
  apt_install "$@"
}

# --- Node.js ----------------------------------------------------------------------------

check_node() {
  have node || die "Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org), then run this again."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js $(node -v) is too old. Install Node.js 20.19 or newer, then run this again."
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

# --- PostgreSQL -------------------------------------------------------------------------

# pg_ready HOST PORT
pg_ready() {
  if have pg_isready; then
    pg_isready -q -h "$1" -p "$2" -t 3
  else
    port_open "$1" "$2"
  fi
}

pg_installed() { have pg_ctlcluster && [[ -n $(ls /etc/postgresql 2>/dev/null) ]]; }

# A fresh Debian cluster wants a password over TCP and its postgres role has none, so
# whatever signs in as postgres without one (the tests, the default DATABASE_URL) could
# never connect. Only on a cluster this script has just installed, so nothing else relies
# on its settings, let connections from this machine in without a password, as on a
# developer or CI machine.
pg_trust_loopback() {
  local hba="/etc/postgresql/$1/main/pg_hba.conf"
  [[ -f $hba ]] || return 0
  grep -q '^# migra-media:' "$hba" && return 0
  info "letting local connections (127.0.0.1, ::1) into PostgreSQL without a password"
  {
    echo "# migra-media: local connections without a password (added by scripts/$(basename "$0"))"
    echo 'host all all 127.0.0.1/32 trust'
    echo 'host all all ::1/128 trust'
    cat "$hba"
  } >"$hba.new"
  chown --reference="$hba" "$hba.new"
  chmod --reference="$hba" "$hba.new"
  mv "$hba.new" "$hba"
}

# start_postgres HOST PORT INSTALLED_NOW [PORT_SETTING]
# Starts the newest PostgreSQL cluster on this machine and waits for it on HOST:PORT.
# INSTALLED_NOW is true when this run installed PostgreSQL. PORT_SETTING names where the
# port came from, for the hint when it does not come up.
start_postgres() {
  local host=$1 port=$2 installed_now=$3 port_setting=${4:-} version
  # shellcheck disable=SC2012 # cluster versions are plain numbers
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [[ $installed_now == true ]]; then pg_trust_loopback "$version"; fi
  info "starting PostgreSQL $version"
  # Without systemd it can report "failed" while the cluster does come up, and it fails
  # when apt already started it: the readiness check below is what counts.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  if [[ $installed_now == true ]]; then
    # In case apt had already started it: the new pg_hba.conf needs a reload.
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
  fi
  wait_for 30 pg_ready "$host" "$port" ||
    die "PostgreSQL $version did not come up on $host:$port. See /var/log/postgresql/ for why${port_setting:+, and check that $port_setting matches the port in /etc/postgresql/$version/main/postgresql.conf}."
  info "running"
}

# --- Redis ------------------------------------------------------------------------------

# redis_ready HOST PORT [URL]: with a URL, redis-cli connects with it (it may carry a
# password or a database number); HOST and PORT are for when there is no redis-cli.
redis_ready() {
  if have redis-cli; then
    if [[ -n ${3:-} ]]; then
      [[ $(redis-cli --no-auth-warning -u "$3" ping 2>/dev/null) == PONG ]]
    else
      [[ $(redis-cli -h "$1" -p "$2" ping 2>/dev/null) == PONG ]]
    fi
  else
    port_open "$1" "$2"
  fi
}

# start_redis HOST PORT [URL [DATA_DIR]]: starts redis-server on 127.0.0.1:PORT and waits for it.
# With a DATA_DIR (up.sh) it keeps the queues safe: an append-only file there, so a restart loses no
# job, and noeviction, so a full memory refuses new jobs instead of deleting queued ones. Without one
# (the tests) nothing is written to disk.
start_redis() {
  local host=$1 port=$2 url=${3:-} data_dir=${4:-}
  local -a settings=(--save "" --appendonly no)
  if [[ -n $data_dir ]]; then
    mkdir -p "$data_dir"
    settings=(--save "" --appendonly yes --dir "$(cd "$data_dir" && pwd)" --maxmemory-policy noeviction)
  fi
  # apt may have started it already; a second server on the same port would just exit.
  if ! redis_ready "$host" "$port" "$url"; then
    info "starting redis-server on port $port"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" "${settings[@]}" >/dev/null
  fi
  wait_for 15 redis_ready "$host" "$port" "$url" || die "Redis did not come up on $host:$port."
  info "running"
}

# check_redis_settings URL: warns when a Redis (one this script did not start, so it is left as it
# is) may lose queued jobs. The worker recovers lost work from PostgreSQL, but only later.
check_redis_settings() {
  local policy appendonly
  if ! have redis-cli; then
    info "redis-cli is not installed, so Redis's settings were not checked (GET /ready reports them)"
    return 0
  fi
  policy=$(redis-cli --no-auth-warning -u "$1" --raw config get maxmemory-policy 2>/dev/null | sed -n 2p) || true
  appendonly=$(redis-cli --no-auth-warning -u "$1" --raw config get appendonly 2>/dev/null | sed -n 2p) || true
  if [[ -z $policy ]]; then
    warn "Redis would not show its settings (CONFIG GET). Make sure it runs with maxmemory-policy noeviction and appendonly yes."
    return 0
  fi
  if [[ $policy != noeviction ]]; then
    warn "Redis runs with maxmemory-policy $policy: it deletes queued jobs when memory runs short. Set it to noeviction (redis-cli config set maxmemory-policy noeviction, and in redis.conf)."
  fi
  if [[ $appendonly != yes ]]; then
    warn "Redis runs with appendonly $appendonly: a restart may lose queued jobs. Turn it on (redis-cli config set appendonly yes, and in redis.conf)."
  fi
  if [[ $policy == noeviction && $appendonly == yes ]]; then info "settings: noeviction, append-only file on"; fi
}

# --- Processes up.sh starts, tracked by pid file ----------------------------------------

RUN_DIR=.data/run
# How many processes stop_started stopped (down.sh reports it).
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
      sleep 1
    fi
    STOPPED=$((STOPPED + 1))
  fi
  rm -f "$pidfile"
}

# The processes up.sh starts, with the grace time each gets: the worker may need a couple
# of minutes to finish the job in hand.
stop_api()      { stop_started api API dist/main.js 30; }
stop_worker()   { stop_started worker worker dist/worker.js 120; }
stop_local_s3() { stop_started local-s3 'local S3 server' 'dist/cli.js local-s3' 15; }
stop_simulated_page() { stop_started simulated-page 'simulated Page' 'simulated-page.ts' 10; }
