#!/usr/bin/env bash
# Build, test and run OnSeoulSafe. Run ./build.sh without arguments for usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# 'hash' takes file names relative to where it was called from.
CALLER_DIR="$(pwd)"
cd "$ROOT"

SOLUTION="OnSeoulSafe.sln"
WEB_PROJECT="src/OnSeoulSafe.Web"
SEEDER_PROJECT="tools/OnSeoulSafe.Seeder"
PORTAL_URL="${PORTAL_URL:-http://127.0.0.1:5080}"
SIMULATED_PROJECT="tests/OnSeoulSafe.SimulatedPlatforms"
SIMULATED_FIRST_PORT=5091
SIMULATED_INBOX_PORT=2525

LOCAL_DIR="$ROOT/.local"
PG_DIR="$LOCAL_DIR/pg"
PG_PASSWORD_FILE="$LOCAL_DIR/pg-password"
SECRETS_FILE="$LOCAL_DIR/secrets.env"
PG_PORT="${PORTAL_PG_PORT:-55432}"
PG_USER="onseoulsafe"
PG_DATABASE="onseoulsafe"
# The portal connects as this login role (a member of portal_app, which cannot rewrite the access log);
# PG_USER owns the tables and runs the migrations.
PG_WEB_USER="onseoulsafe_web"
PG_WEB_PASSWORD_FILE="$LOCAL_DIR/pg-web-password"

usage() {
  cat <<EOF
Usage: ./build.sh <command>

  test            build the solution (warnings are errors) and run every test project
  hash FILE...    print each file's perceptual hash and SHA-256: 'pdq HEX QUALITY FILE' for a picture,
                  'vpdq FRAMES FILE' and one 'FRAME,QUALITY,HEX,SECONDS' line per second for a video,
                  'sha256 HEX FILE' always; exit status 2 when a file cannot be read or hashed
  run             start the portal at $PORTAL_URL with demo data, on a local PostgreSQL
                  under .local/pg (port \${PORTAL_PG_PORT:-55432}); set ConnectionStrings__Portal
                  to use your own database instead
                  beside it: simulated platforms on 127.0.0.1:5091-5094 (boards, notice endpoints) and an
                  SMTP inbox on 127.0.0.1:2525, watched by monitoring (loopback only)
  monitor         the monitoring crawl as its own process (no web server) on the same database
  db              only make sure the local PostgreSQL is up and print its connection string
  db-stop         stop the local PostgreSQL started by 'run' or 'db'
  seed --cases N [--append] [--seed S]
                  fill the local database (or ConnectionStrings__Portal, loopback only) with N
                  generated cases and their tracks, timeline, content links and deletion requests;
                  refuses a database that already holds cases unless --append
  bench           measure the portal (Release) against a bare Kestrel and a bare Npgsql baseline on a
                  throwaway PostgreSQL with durable commits; prints a table, writes bench/results/*.json.
                  BENCH_DASHBOARD_CASES=10000 skips the 1,000,000-case dashboard; BENCH_ONLY=a,b runs
                  only the named scenarios (or groups) of bench/scenarios.json; BENCH_SECONDS /
                  BENCH_WARMUP_SECONDS shorten every scenario. BENCH_ONLY=hashing runs the perceptual
                  hashing rows alone, without PostgreSQL or the portal
EOF
}

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# The portal's runtime settings, as the Dockerfile sets them: a 32 MB young generation. Where the runtime cannot read
# the CPU's cache size (common on virtual machines) it falls back to a budget of about 2 MB and collects every few
# requests, pausing every thread each time. A setting the caller already made is kept.
export_portal_runtime() {
  export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}"
}

# --- PostgreSQL binaries ---------------------------------------------------------------------

# Prints the folder holding initdb and pg_ctl: from PATH, else Debian's /usr/lib/postgresql/<major>/bin
# (highest major first). Prints nothing when they are missing.
pg_bin_dir() {
  local pg_ctl dir
  if pg_ctl="$(command -v pg_ctl 2>/dev/null)"; then
    dir="$(dirname "$(readlink -f "$pg_ctl")")"
    if [ -x "$dir/initdb" ]; then
      printf '%s\n' "$dir"
      return
    fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      printf '%s\n' "$dir"
      return
    fi
  done
}

# --- system packages -------------------------------------------------------------------------

# The Debian packages each command needs. One list per command; a package is checked by what it provides.
TEST_PACKAGES=(postgresql chromium fonts-noto-cjk ffmpeg)
RUN_PACKAGES=(postgresql)
BENCH_PACKAGES=(postgresql wrk curl)

# has_system_package NAME: whether what the Debian package NAME provides is on this machine.
has_system_package() {
  case "$1" in
    postgresql) [ -n "$(pg_bin_dir)" ] ;;
    # The browser tests take ONSEOULSAFE_CHROMIUM, else /usr/bin/chromium.
    chromium) [ -x "${ONSEOULSAFE_CHROMIUM:-/usr/bin/chromium}" ] ;;
    # Without these fonts Korean renders as empty boxes in the browser tests' screenshots and checks.
    fonts-noto-cjk)
      dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' \
        || fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'
      ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# ensure_system_packages NAME...: installs the missing ones with apt-get as root; otherwise prints the one line that
# installs them and stops, before anything is built.
ensure_system_packages() {
  local missing=() package
  for package in "$@"; do
    has_system_package "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    die "missing ${missing[*]}; install first with: sudo apt-get install -y ${missing[*]}"
  fi
  say "Installing ${missing[*]} (apt-get install)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # No default cluster on port 5432: the tests, 'run' and 'bench' start their own.
    apt-get install -y -q --no-install-recommends postgresql-common
    sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  apt-get install -y -q "${missing[@]}"
  for package in "${missing[@]}"; do
    has_system_package "$package" || die "$package is still missing after installing it"
  done
}

# PostgreSQL refuses to run as root: as root, its tools run as the 'postgres' system user.
as_pg() {
  if ! is_root; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

# The 'postgres' user must be able to walk down to the data directory.
ensure_traversable_for_postgres() {
  local dir="$1"
  while [ "$dir" != "/" ]; do
    if ! as_pg test -x "$dir"; then
      say "Allowing the postgres user to pass through $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
    dir="$(dirname "$dir")"
  done
}

# --- the local cluster under .local/pg -------------------------------------------------------

random_secret() { head -c 32 /dev/urandom | base64 -w0; }

ensure_local_dir() {
  mkdir -p "$LOCAL_DIR"
  # Others may pass through (the server runs as 'postgres' when we are root) but not list it.
  chmod 711 "$LOCAL_DIR"
}

ensure_pg_password() {
  if [ ! -s "$PG_PASSWORD_FILE" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 -w0 | tr -d '/+=' >"$PG_PASSWORD_FILE")
  fi
  chmod 600 "$PG_PASSWORD_FILE"
}

init_local_cluster() {
  local bin="$1" pwfile="$LOCAL_DIR/initdb-password" status=0
  say "Creating a PostgreSQL cluster in .local/pg"
  rm -rf "$PG_DIR" # a folder without PG_VERSION is what a failed initdb leaves behind
  mkdir -m 700 "$PG_DIR"
  # initdb reads the password from a file its own user can read; the stored copy stays ours.
  (umask 077 && cat "$PG_PASSWORD_FILE" >"$pwfile")
  if is_root; then
    chown postgres: "$PG_DIR" "$pwfile"
    ensure_traversable_for_postgres "$LOCAL_DIR"
  fi
  local args=(-D "$PG_DIR" -U "$PG_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8)
  if ! as_pg "$bin/initdb" "${args[@]}" --locale=C.UTF-8 >"$LOCAL_DIR/initdb.log" 2>&1; then
    # No C.UTF-8 locale on this system: the C locale with UTF-8 encoding works as well.
    find "$PG_DIR" -mindepth 1 -delete
    as_pg "$bin/initdb" "${args[@]}" --no-locale >"$LOCAL_DIR/initdb.log" 2>&1 || status=$?
  fi
  rm -f "$pwfile"
  if [ "$status" -ne 0 ]; then
    cat "$LOCAL_DIR/initdb.log" >&2
    die "initdb failed (output above)"
  fi
  # Loopback TCP only, and no Unix socket in a shared folder.
  cat >>"$PG_DIR/postgresql.conf" <<'EOF'

# OnSeoulSafe local development cluster (./build.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
EOF
}

# The port of the running cluster (from postmaster.pid), or nothing when it is not running.
running_port() {
  local bin="$1"
  if as_pg "$bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    sed -n 4p "$PG_DIR/postmaster.pid"
  fi
}

pg_password() { cat "$PG_PASSWORD_FILE"; }

# Creates (or updates) the portal's login role: a member of portal_app, not the owner. The migration grants
# portal_app its rights and creates it too; creating it here first lets the login role join it before the first start.
# ensure_portal_login BIN PORT OWNER_PASSWORD WEB_PASSWORD
ensure_portal_login() {
  local bin="$1" port="$2" owner_password="$3" web_password="$4"
  env PGPASSWORD="$owner_password" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres >/dev/null <<SQL
DO \$roles\$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
        CREATE ROLE portal_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_WEB_USER') THEN
        CREATE ROLE $PG_WEB_USER LOGIN;
    END IF;
END
\$roles\$;
ALTER ROLE $PG_WEB_USER WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$web_password';
GRANT portal_app TO $PG_WEB_USER;
SQL
}

pg_web_password() {
  if [ ! -s "$PG_WEB_PASSWORD_FILE" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 -w0 | tr -d '/+=' >"$PG_WEB_PASSWORD_FILE")
  fi
  chmod 600 "$PG_WEB_PASSWORD_FILE"
  cat "$PG_WEB_PASSWORD_FILE"
}

LOCAL_PG_STARTED=""

# Makes sure the local cluster is initialised and running and the portal database exists;
# sets LOCAL_PG_PORT to the port it listens on, and LOCAL_PG_STARTED when this call started it.
ensure_local_cluster() {
  local bin port
  bin="$(pg_bin_dir)"
  ensure_local_dir
  ensure_pg_password
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    init_local_cluster "$bin"
  fi

  port="$(running_port "$bin")"
  if [ -n "$port" ]; then
    say "Reusing the PostgreSQL already running from .local/pg on 127.0.0.1:$port"
    [ "$port" = "$PG_PORT" ] || say "(PORTAL_PG_PORT=$PG_PORT is ignored until it is restarted: ./build.sh db-stop)"
  else
    port="$PG_PORT"
    say "Starting PostgreSQL from .local/pg on 127.0.0.1:$port"
    if ! as_pg "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      tail -n 20 "$PG_DIR/server.log" >&2 || true
      die "PostgreSQL did not start (server log above; is port $port taken? set PORTAL_PG_PORT)"
    fi
    LOCAL_PG_STARTED=1
  fi

  local psql=(env PGPASSWORD="$(pg_password)" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -tA)
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = '$PG_DATABASE'")" != "1" ]; then
    say "Creating database $PG_DATABASE"
    "${psql[@]}" -c "create database \"$PG_DATABASE\""
  fi
  LOCAL_PG_PORT="$port"
}

connection_string() {
  local port="$1" password="${2:-}" user="${3:-$PG_USER}"
  local value="Host=127.0.0.1;Port=$port;Database=$PG_DATABASE;Username=$user"
  if [ -n "$password" ]; then
    value="$value;Password=$password"
  fi
  printf '%s\n' "$value"
}

# Keys the portal needs outside the database, generated once per checkout and kept in
# .local/secrets.env (mode 600). Variables already set in the environment win.
export_local_secrets() {
  ensure_local_dir
  if [ ! -s "$SECRETS_FILE" ]; then
    (
      umask 077
      {
        printf 'Portal__Secrets__HmacKey=%s\n' "$(random_secret)"
        printf 'Portal__Secrets__EncryptionKeys__1=%s\n' "$(random_secret)"
        printf 'Portal__Secrets__ActiveEncryptionKey=1\n'
      } >"$SECRETS_FILE"
    )
  fi
  chmod 600 "$SECRETS_FILE"
  local line name
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    name="${line%%=*}"
    if [ -z "${!name:-}" ]; then
      export "$name=${line#*=}"
    fi
  done <"$SECRETS_FILE"
}

# --- commands --------------------------------------------------------------------------------

cmd_test() {
  ensure_system_packages "${TEST_PACKAGES[@]}"
  local results="$ROOT/TestResults"
  rm -rf "$results"

  say "Building $SOLUTION (Release, warnings as errors)"
  dotnet build "$SOLUTION" -c Release -warnaserror

  say "Running tests"
  local status=0
  dotnet test "$SOLUTION" -c Release --no-build \
    --logger "console;verbosity=minimal" --logger "trx" --results-directory "$results" || status=$?

  print_test_totals "$results"
  if [ "$status" -eq 0 ] && [ "$TESTS_FAILED" -gt 0 ]; then
    status=1
  fi
  return "$status"
}

# Prints one line with the totals over every test project's .trx file, for CI systems to read;
# leaves the number of failures in TESTS_FAILED.
print_test_totals() {
  local passed=0 failed=0 counters trx
  shopt -s nullglob
  for trx in "$1"/*.trx; do
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    passed=$((passed + $(trx_count "$counters" passed)))
    failed=$((failed + $(trx_count "$counters" failed) + $(trx_count "$counters" error) \
      + $(trx_count "$counters" timeout) + $(trx_count "$counters" aborted)))
  done
  shopt -u nullglob
  echo "$passed passed, $failed failed"
  TESTS_FAILED="$failed"
}

# trx_count '<Counters total="3" passed="2" ...>' passed  ->  2
trx_count() {
  local value
  value="$(printf '%s' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || true)"
  printf '%s\n' "${value:-0}"
}

cmd_hash() {
  [ $# -gt 0 ] || die "usage: ./build.sh hash FILE..."
  ensure_system_packages ffmpeg
  dotnet build src/OnSeoulSafe.Hashing.Cli -c Release -warnaserror -nologo -v q -clp:NoSummary >&2
  local status=0
  (cd "$CALLER_DIR" && exec dotnet "$ROOT/src/OnSeoulSafe.Hashing.Cli/bin/Release/net10.0/OnSeoulSafe.Hashing.Cli.dll" "$@") || status=$?
  return "$status"
}

cmd_db() {
  ensure_system_packages "${RUN_PACKAGES[@]}"
  ensure_local_cluster
  say "PostgreSQL is up: $(connection_string "$LOCAL_PG_PORT");Password=<see .local/pg-password>"
}

cmd_db_stop() {
  local bin
  bin="$(pg_bin_dir)"
  if [ -z "$bin" ] || [ ! -f "$PG_DIR/PG_VERSION" ] || [ -z "$(running_port "$bin")" ]; then
    say "The local PostgreSQL in .local/pg is not running"
    return
  fi
  as_pg "$bin/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null
  say "Stopped the local PostgreSQL in .local/pg"
}

RUN_PORTAL_PID=""
RUN_SIMULATED_PID=""

# When 'run' ends (Ctrl-C, a signal or the portal stopping): stop the portal and the simulated platforms, then the
# local PostgreSQL if 'run' started it. A cluster that was already running (./build.sh db) is left running.
run_cleanup() {
  # A trap that runs after 'exit' in another trap: bash would stop it at its first command substitution under -e.
  set +e
  local pid
  for pid in "$RUN_PORTAL_PID" "$RUN_SIMULATED_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "$LOCAL_PG_STARTED" ]; then
    cmd_db_stop
  elif [ -n "${LOCAL_PG_PORT:-}" ]; then
    say "The local PostgreSQL was running before 'run' and keeps running: ./build.sh db-stop stops it"
  fi
}

# ConnectionStrings__Portal (and __PortalOwner) for the local cluster, unless the caller set them; returns 1 when the
# caller's own database is used.
use_local_portal_database() {
  if [ -n "${ConnectionStrings__Portal:-}" ]; then
    say "Using the database in ConnectionStrings__Portal (no local PostgreSQL started)"
    return 1
  fi
  ensure_system_packages "${RUN_PACKAGES[@]}"
  ensure_local_cluster
  local web_password
  web_password="$(pg_web_password)"
  ensure_portal_login "$(pg_bin_dir)" "$LOCAL_PG_PORT" "$(pg_password)" "$web_password"
  export ConnectionStrings__Portal ConnectionStrings__PortalOwner
  ConnectionStrings__Portal="$(connection_string "$LOCAL_PG_PORT" "$web_password" "$PG_WEB_USER")"
  ConnectionStrings__PortalOwner="$(connection_string "$LOCAL_PG_PORT" "$(pg_password)")"
}

cmd_run() {
  trap run_cleanup EXIT
  # Ctrl-C reaches this script; the portal and the boards, started in the background, ignore it and are stopped
  # with TERM instead.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  use_local_portal_database || true
  export_local_secrets
  export ASPNETCORE_ENVIRONMENT=Development
  export_portal_runtime

  say "Building the portal and the simulated platforms (Release)"
  dotnet build "$WEB_PROJECT" -c Release -nologo -v q
  dotnet build "$SIMULATED_PROJECT" -c Release -nologo -v q
  local portal_dir="$ROOT/$WEB_PROJECT/bin/Release/net10.0"
  local simulated_dir="$ROOT/$SIMULATED_PROJECT/bin/Release/net10.0"

  # The simulated platforms (boards, notice endpoints, an inbox) on loopback, and monitoring switched on for them
  # only: the demo data registers the boards as sources, and the crawl may reach nothing but loopback.
  export Portal__Monitoring__Enabled="${Portal__Monitoring__Enabled:-true}"
  export Portal__Monitoring__AllowPrivateAddresses=true
  export Portal__Monitoring__LoopbackOnly=true
  say "Starting the simulated platforms on 127.0.0.1:$SIMULATED_FIRST_PORT-$((SIMULATED_FIRST_PORT + 3)) (inbox on $SIMULATED_INBOX_PORT)"
  (cd "$simulated_dir" && exec dotnet OnSeoulSafe.SimulatedPlatforms.dll "$SIMULATED_FIRST_PORT" "$SIMULATED_INBOX_PORT") &
  RUN_SIMULATED_PID=$!

  # Migrations run first, in a process of their own and the only one given the owner's password; the portal then
  # starts without it in its environment.
  say "Migrating the database as the owner of its tables (a step of its own)"
  (cd "$portal_dir" && dotnet OnSeoulSafe.Web.dll migrate)

  say "The portal will be at $PORTAL_URL (Ctrl-C stops it, the simulated platforms and the local PostgreSQL it started)"
  say "Demo account passwords are printed by the portal at start-up."
  # The built portal itself, not under 'dotnet run' (whose own process would stay beside it). Its folder is the
  # content root, where the build put appsettings*.json and the map of static files back to wwwroot/.
  (cd "$portal_dir" && exec env -u ConnectionStrings__PortalOwner dotnet OnSeoulSafe.Web.dll --urls "$PORTAL_URL" --seed-demo) &
  RUN_PORTAL_PID=$!
  local status=0
  wait "$RUN_PORTAL_PID" || status=$?
  RUN_PORTAL_PID=""
  return "$status"
}

# The monitoring crawl alone, without the web server, on the same database as 'run' (or ConnectionStrings__Portal).
cmd_monitor() {
  if use_local_portal_database; then
    # Against the local demo database only the simulated boards on loopback are reachable.
    export Portal__Monitoring__AllowPrivateAddresses=true
    export Portal__Monitoring__LoopbackOnly=true
  fi
  export_local_secrets
  export_portal_runtime
  dotnet build "$WEB_PROJECT" -c Release -nologo -v q
  say "Running the monitoring crawl (Ctrl+C stops it)"
  cd "$ROOT/$WEB_PROJECT/bin/Release/net10.0"
  exec dotnet OnSeoulSafe.Web.dll --monitor
}

cmd_seed() {
  local cases="" extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --cases) cases="${2:-}"; shift 2 || die "--cases needs a number" ;;
      --append) extra+=(--append); shift ;;
      --seed) extra+=(--seed "${2:-}"); shift 2 || die "--seed needs a number" ;;
      *) die "unknown seed option: $1" ;;
    esac
  done
  [[ "$cases" =~ ^[1-9][0-9]*$ ]] || die "usage: ./build.sh seed --cases N [--append] [--seed S]"
  if [ -n "${ConnectionStrings__Portal:-}" ]; then
    say "Using the database in ConnectionStrings__Portal"
  else
    ensure_system_packages "${RUN_PACKAGES[@]}"
    ensure_local_cluster
    export ConnectionStrings__Portal
    ConnectionStrings__Portal="$(connection_string "$LOCAL_PG_PORT" "$(pg_password)")"
  fi
  export_local_secrets
  export ASPNETCORE_ENVIRONMENT=Development
  say "Building the volume data generator (Release)"
  dotnet build "$SEEDER_PROJECT" -c Release -nologo -v q
  say "Generating $cases cases"
  dotnet "$SEEDER_PROJECT/bin/Release/net10.0/OnSeoulSafe.Seeder.dll" --cases "$cases" "${extra[@]}"
}

# --- bench -----------------------------------------------------------------------------------

# A loopback TCP port nothing listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return
    fi
  done
}

BENCH_DIR=""
BENCH_PG_BIN=""
BENCH_PIDS=()

# Stops what the bench started (by process id) and deletes its cluster and files.
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$BENCH_DIR" ] && [ -d "$BENCH_DIR" ]; then
    if [ -f "$BENCH_DIR/pg/postmaster.pid" ]; then
      as_pg "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$BENCH_DIR"
  fi
}

# wait_for_http URL PID LOG: until URL answers, or the process has died.
wait_for_http() {
  local url="$1" pid="$2" log="$3" i
  for i in $(seq 1 240); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "the process behind $url stopped (log above)"
    fi
    sleep 0.5
  done
  tail -n 30 "$log" >&2 || true
  die "$url did not answer within 2 minutes (log above)"
}

# A fresh cluster in $BENCH_DIR/pg with durable commits (fsync and synchronous_commit on, as in production);
# sets BENCH_PG_PORT and BENCH_PG_PASSWORD.
start_bench_cluster() {
  local bin="$1" data="$BENCH_DIR/pg" pwfile="$BENCH_DIR/initdb-password" status=0
  BENCH_PG_PASSWORD="$(head -c 24 /dev/urandom | base64 -w0 | tr -d '/+=')"
  mkdir -m 700 "$data"
  (umask 077 && printf '%s' "$BENCH_PG_PASSWORD" >"$pwfile")
  if is_root; then
    chown postgres: "$data" "$pwfile"
    ensure_traversable_for_postgres "$BENCH_DIR"
  fi
  local args=(-D "$data" -U "$PG_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8)
  if ! as_pg "$bin/initdb" "${args[@]}" --locale=C.UTF-8 >"$BENCH_DIR/initdb.log" 2>&1; then
    find "$data" -mindepth 1 -delete
    as_pg "$bin/initdb" "${args[@]}" --no-locale >"$BENCH_DIR/initdb.log" 2>&1 || status=$?
  fi
  rm -f "$pwfile"
  if [ "$status" -ne 0 ]; then
    cat "$BENCH_DIR/initdb.log" >&2
    die "initdb failed (output above)"
  fi
  cat >>"$data/postgresql.conf" <<'EOF'

# OnSeoulSafe benchmark cluster (./build.sh bench): commits are durable, as in production.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 300
EOF
  BENCH_PG_PORT="$(free_port)"
  if ! as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $BENCH_PG_PORT" -w -t 60 start >/dev/null; then
    tail -n 20 "$data/server.log" >&2 || true
    die "the benchmark PostgreSQL did not start (server log above)"
  fi
  local database
  for database in "$PG_DATABASE" baseline; do
    env PGPASSWORD="$BENCH_PG_PASSWORD" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_PG_PORT" -U "$PG_USER" -d postgres \
      -c "create database \"$database\""
  done
}

# True when BENCH_ONLY names only perceptual hashing rows (or their group): they run in process, without the portal.
bench_hashing_only() {
  [ -n "${BENCH_ONLY:-}" ] || return 1
  local name
  for name in ${BENCH_ONLY//,/ }; do
    [[ "$name" =~ ^(hashing|pdq-.*|match-.*|index-load-.*|video-.*)$ ]] || return 1
  done
}

cmd_bench_hashing() {
  local started=$SECONDS
  ensure_system_packages ffmpeg
  say "Building the load generator (Release, warnings as errors)"
  dotnet build bench/OnSeoulSafe.Bench -c Release -warnaserror -nologo -v q
  say "BENCH_ONLY=$BENCH_ONLY: perceptual hashing in process; no PostgreSQL, portal or baselines started"
  local status=0
  dotnet bench/OnSeoulSafe.Bench/bin/Release/net10.0/OnSeoulSafe.Bench.dll --root "$ROOT" --hashing-only true || status=$?
  say "Benchmark finished in $((SECONDS - started)) s"
  return "$status"
}

cmd_bench() {
  if bench_hashing_only; then
    cmd_bench_hashing
    return
  fi
  local started=$SECONDS
  ensure_system_packages "${BENCH_PACKAGES[@]}" ffmpeg

  say "Building the portal, the baselines, the load generator and the data generator (Release, warnings as errors)"
  dotnet build bench/OnSeoulSafe.Bench -c Release -warnaserror -nologo -v q
  dotnet build bench/OnSeoulSafe.Bench.Baselines -c Release -warnaserror -nologo -v q
  # The dashboard scenarios fill their database with ./build.sh seed.
  dotnet build "$SEEDER_PROJECT" -c Release -warnaserror -nologo -v q

  BENCH_DIR="$(mktemp -d /tmp/onseoulsafe-bench.XXXXXX)"
  chmod 711 "$BENCH_DIR"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM

  say "Publishing the portal (Release)"
  dotnet publish "$WEB_PROJECT" -c Release --no-build -nologo -v q -o "$BENCH_DIR/portal" >/dev/null

  BENCH_PG_BIN="$(pg_bin_dir)"
  say "Starting a throwaway PostgreSQL with durable commits"
  start_bench_cluster "$BENCH_PG_BIN"
  say "PostgreSQL $("$BENCH_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$BENCH_PG_PORT (fsync on, synchronous_commit on)"

  # Fresh keys for this run only; the portal runs as in production, with the per-client limits raised for the load.
  # The portal connects as its own login role (member of portal_app), as in production; the owner migrates.
  local bench_web_password
  bench_web_password="$(head -c 24 /dev/urandom | base64 -w0 | tr -d '/+=')"
  ensure_portal_login "$BENCH_PG_BIN" "$BENCH_PG_PORT" "$BENCH_PG_PASSWORD" "$bench_web_password"
  export ConnectionStrings__Portal ConnectionStrings__PortalOwner ConnectionStrings__Baseline
  ConnectionStrings__Portal="$(connection_string "$BENCH_PG_PORT" "$bench_web_password" "$PG_WEB_USER")"
  ConnectionStrings__PortalOwner="$(connection_string "$BENCH_PG_PORT" "$BENCH_PG_PASSWORD")"
  ConnectionStrings__Baseline="Host=127.0.0.1;Port=$BENCH_PG_PORT;Database=baseline;Username=$PG_USER;Password=$BENCH_PG_PASSWORD"
  export Portal__Secrets__HmacKey Portal__Secrets__EncryptionKeys__1 Portal__Secrets__ActiveEncryptionKey=1
  Portal__Secrets__HmacKey="$(random_secret)"
  Portal__Secrets__EncryptionKeys__1="$(random_secret)"
  export Portal__RateLimits__IntakePerMinute=100000000 Portal__RateLimits__AccessCodePerMinute=100000000
  export Portal__RateLimits__SignInPerMinute=100000000 Portal__RateLimits__TwoFactorPerMinute=100000000
  # Plain HTTP on loopback: Secure/__Host- cookies need HTTPS (in production TLS ends at the proxy in front).
  export Portal__SecureCookies=false
  export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1

  local portal_port baseline_port portal_pid baseline_pid
  portal_port="$(free_port)"
  say "Starting the portal on 127.0.0.1:$portal_port (Production)"
  (cd "$BENCH_DIR/portal" && dotnet OnSeoulSafe.Web.dll migrate) >"$BENCH_DIR/migrate.log" 2>&1
  (cd "$BENCH_DIR/portal" && export_portal_runtime && exec env -u ConnectionStrings__PortalOwner dotnet OnSeoulSafe.Web.dll --urls "http://127.0.0.1:$portal_port") >"$BENCH_DIR/portal.log" 2>&1 &
  portal_pid=$!
  BENCH_PIDS+=("$portal_pid")
  baseline_port="$(free_port)"
  while [ "$baseline_port" = "$portal_port" ]; do baseline_port="$(free_port)"; done
  say "Starting the baselines on 127.0.0.1:$baseline_port"
  dotnet bench/OnSeoulSafe.Bench.Baselines/bin/Release/net10.0/OnSeoulSafe.Bench.Baselines.dll --urls "http://127.0.0.1:$baseline_port" \
    >"$BENCH_DIR/baselines.log" 2>&1 &
  baseline_pid=$!
  BENCH_PIDS+=("$baseline_pid")
  wait_for_http "http://127.0.0.1:$portal_port/health" "$portal_pid" "$BENCH_DIR/portal.log"
  wait_for_http "http://127.0.0.1:$baseline_port/health" "$baseline_pid" "$BENCH_DIR/baselines.log"
  # Start-up lines (EF reports the migrations table missing on a fresh database) are not the run's errors.
  local startup_lines
  startup_lines="$(wc -l <"$BENCH_DIR/portal.log")"

  local status=0
  dotnet bench/OnSeoulSafe.Bench/bin/Release/net10.0/OnSeoulSafe.Bench.dll --root "$ROOT" \
    --portal "http://127.0.0.1:$portal_port" --baselines "http://127.0.0.1:$baseline_port" --portal-pid "$portal_pid" || status=$?
  if tail -n "+$((startup_lines + 1))" "$BENCH_DIR/portal.log" | grep -q '"Level":"Error"'; then
    say "The portal logged errors during the run (first 5):"
    tail -n "+$((startup_lines + 1))" "$BENCH_DIR/portal.log" | grep '"Level":"Error"' | head -n 5 | cut -c1-400
  fi
  say "Benchmark finished in $((SECONDS - started)) s"
  return "$status"
}

main() {
  local command="${1:-}"
  [ $# -gt 0 ] && shift
  case "$command" in
    test) cmd_test "$@" ;;
    hash) cmd_hash "$@" ;;
    run) cmd_run "$@" ;;
    monitor) cmd_monitor "$@" ;;
    db) cmd_db "$@" ;;
    db-stop) cmd_db_stop "$@" ;;
    seed) cmd_seed "$@" ;;
    bench) cmd_bench "$@" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 64
      ;;
  esac
}

main "$@"
