# Sourced by build.sh and tools/pitr.sh: where the PostgreSQL server binaries are.
# Prints the folder holding pg_ctl, initdb and pg_basebackup: $PG_BIN when set, else the one of pg_ctl on PATH, else
# Debian's /usr/lib/postgresql/<major>/bin (highest major first). Prints nothing when they are missing.
pg_bin_dir() {
  local pg_ctl dir
  if [ -n "${PG_BIN:-}" ]; then
    printf '%s\n' "$PG_BIN"
    return
  fi
  if pg_ctl="$(command -v pg_ctl 2>/dev/null)"; then
    dir="$(dirname "$(readlink -f "$pg_ctl")")"
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_basebackup" ]; then
      printf '%s\n' "$dir"
      return
    fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_basebackup" ]; then
      printf '%s\n' "$dir"
      return
    fi
  done
}
