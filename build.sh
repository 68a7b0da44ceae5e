#!/usr/bin/env bash
# Build, test and run OnSeoulSafe. Run ./build.sh without arguments for usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

SOLUTION="OnSeoulSafe.sln"
WEB_PROJECT="src/OnSeoulSafe.Web"
PORTAL_URL="http://127.0.0.1:5080"

LOCAL_DIR="$ROOT/.local"
PG_DIR="$LOCAL_DIR/pg"
PG_PASSWORD_FILE="$LOCAL_DIR/pg-password"
SECRETS_FILE="$LOCAL_DIR/secrets.env"
PG_PORT="${PORTAL_PG_PORT:-55432}"
PG_USER="onseoulsafe"
PG_DATABASE="onseoulsafe"

usage() {
  cat <<EOF
Usage: ./build.sh <command>

  test            build the solution (warnings are errors) and run every test project
  run             start the portal at $PORTAL_URL with demo data, on a local PostgreSQL
                  under .local/pg (port \${PORTAL_PG_PORT:-55432}); set ConnectionStrings__Portal
                  to use your own database instead
  db              only make sure the local PostgreSQL is up and print its connection string
  db-stop         stop the local PostgreSQL started by 'run' or 'db'
  seed --cases N [--append] [--seed S]
                  fill the local database (or ConnectionStrings__Portal, loopback only) with N
                  generated cases and their tracks, timeline, content links and deletion requests;
                  refuses a database that already holds cases unless --append
  bench           (not implemented yet)
EOF
}

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

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

# Installs the Debian 'postgresql' package without the default cluster Debian would otherwise
# create and start on port 5432: the tests and 'run' bring their own.
install_postgresql() {
  say "Installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql-common
  sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  apt-get install -y -q postgresql
}

ensure_pg_binaries() {
  if [ -n "$(pg_bin_dir)" ]; then
    return
  fi
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    die "PostgreSQL server binaries (initdb, pg_ctl) not found: install the 'postgresql' package, e.g. sudo apt-get install -y postgresql"
  fi
  install_postgresql
  [ -n "$(pg_bin_dir)" ] || die "PostgreSQL server binaries still not found after installing the 'postgresql' package"
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

# Makes sure the local cluster is initialised and running and the portal database exists;
# sets LOCAL_PG_PORT to the port it listens on.
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
  fi

  local psql=(env PGPASSWORD="$(pg_password)" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -tA)
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = '$PG_DATABASE'")" != "1" ]; then
    say "Creating database $PG_DATABASE"
    "${psql[@]}" -c "create database \"$PG_DATABASE\""
  fi
  LOCAL_PG_PORT="$port"
}

connection_string() {
  local port="$1" password="${2:-}"
  local value="Host=127.0.0.1;Port=$port;Database=$PG_DATABASE;Username=$PG_USER"
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
  ensure_pg_binaries
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

cmd_db() {
  ensure_pg_binaries
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

cmd_run() {
  if [ -n "${ConnectionStrings__Portal:-}" ]; then
    say "Using the database in ConnectionStrings__Portal (no local PostgreSQL started)"
  else
    ensure_pg_binaries
    ensure_local_cluster
    export ConnectionStrings__Portal
    ConnectionStrings__Portal="$(connection_string "$LOCAL_PG_PORT" "$(pg_password)")"
  fi
  export_local_secrets
  export ASPNETCORE_ENVIRONMENT=Development

  say "The portal will be at $PORTAL_URL"
  say "Demo account passwords are printed by the portal at start-up."
  exec dotnet run --project "$WEB_PROJECT" -c Release --no-launch-profile -- --urls "$PORTAL_URL" --seed-demo
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
    ensure_pg_binaries
    ensure_local_cluster
    export ConnectionStrings__Portal
    ConnectionStrings__Portal="$(connection_string "$LOCAL_PG_PORT" "$(pg_password)")"
  fi
  export_local_secrets
  export ASPNETCORE_ENVIRONMENT=Development
  say "Generating $cases cases"
  dotnet run --project "$WEB_PROJECT" -c Release --no-launch-profile -- --seed-volume "$cases" "${extra[@]}"
}

not_implemented() {
  printf '%s: not implemented yet\n' "$1" >&2
  exit 2
}

main() {
  local command="${1:-}"
  [ $# -gt 0 ] && shift
  case "$command" in
    test) cmd_test "$@" ;;
    run) cmd_run "$@" ;;
    db) cmd_db "$@" ;;
    db-stop) cmd_db_stop "$@" ;;
    seed) cmd_seed "$@" ;;
    bench) not_implemented "$command" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 64
      ;;
  esac
}

main "$@"
