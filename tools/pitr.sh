#!/usr/bin/env bash
# Point-in-time backups of a PostgreSQL cluster with PostgreSQL's own tools: pg_basebackup (plain format, with its
# manifest, checked by pg_verifybackup) and the write-ahead log archived by the cluster's archive_command.
# ./build.sh backup and ./build.sh restore call this for the local cluster; the restore drill test calls it for a
# cluster of its own.
#
#   tools/pitr.sh archive-settings --backups DIR
#       the postgresql.conf lines that archive the write-ahead log into DIR/wal
#   tools/pitr.sh backup --data DIR --backups DIR --port PORT --user USER
#       a labelled base backup into DIR/base/<label>, checked with pg_verifybackup
#   tools/pitr.sh restore --data DIR --backups DIR --port PORT --user USER --to TIME
#       stops the cluster, restores the newest base backup finished before TIME into a fresh data directory, replays
#       the archived write-ahead log up to TIME, promotes it and keeps the old data directory aside
#
# The password, when the cluster needs one, comes in PGPASSWORD. As root the server's tools run as 'postgres'.
set -euo pipefail

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

as_pg() {
  if ! is_root; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

# pg_bin_dir: the one search for the PostgreSQL binaries, shared with build.sh.
. "$(dirname "${BASH_SOURCE[0]}")/pg-bin.sh"

DATA="" BACKUPS="" PORT="" PGUSER_NAME="" TARGET=""

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --data) DATA="${2:-}"; shift 2 || die "--data needs a folder" ;;
      --backups) BACKUPS="${2:-}"; shift 2 || die "--backups needs a folder" ;;
      --port) PORT="${2:-}"; shift 2 || die "--port needs a number" ;;
      --user) PGUSER_NAME="${2:-}"; shift 2 || die "--user needs a name" ;;
      --to) TARGET="${2:-}"; shift 2 || die "--to needs a time, e.g. --to \"2026-12-03 14:05:00+00\"" ;;
      *) die "unknown option: $1" ;;
    esac
  done
}

need() {
  local name
  for name in "$@"; do
    case "$name" in
      data) [ -n "$DATA" ] || die "--data is missing" ;;
      backups) [ -n "$BACKUPS" ] || die "--backups is missing" ;;
      port) [[ "$PORT" =~ ^[0-9]+$ ]] || die "--port is missing or not a number" ;;
      user) [ -n "$PGUSER_NAME" ] || die "--user is missing" ;;
    esac
  done
}

psql_run() {
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -tA -c "$1"
}

is_running() { as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# The backups folder, its 'wal' archive and 'base' folder, owned by the server's user (it writes the archive).
ensure_backup_folders() {
  mkdir -p "$BACKUPS/wal" "$BACKUPS/base"
  chmod 700 "$BACKUPS" "$BACKUPS/wal" "$BACKUPS/base"
  if is_root; then
    chown postgres: "$BACKUPS" "$BACKUPS/wal" "$BACKUPS/base"
  fi
}

cmd_archive_settings() {
  need backups
  ensure_backup_folders
  local wal
  wal="$(cd "$BACKUPS" 2>/dev/null && pwd || printf '%s' "$BACKUPS")/wal"
  cat <<EOF
# Point-in-time recovery: every finished write-ahead log segment is copied to the archive (tools/pitr.sh)
wal_level = replica
archive_mode = on
archive_command = 'test ! -f "$wal/%f" && cp "%p" "$wal/%f"'
archive_timeout = 300
EOF
}

cmd_backup() {
  need data backups port user
  is_running || die "the cluster in $DATA is not running: start it first (./build.sh db)"
  [ "$(psql_run 'show archive_mode')" = "on" ] \
    || die "write-ahead log archiving is off in $DATA: a base backup alone cannot be restored to a point in time. ./build.sh db adds the settings; restart the cluster (./build.sh db-stop && ./build.sh db) and run the backup again"
  ensure_backup_folders
  local label started target
  label="base-$(date -u +%Y%m%dT%H%M%SZ)"
  target="$BACKUPS/base/$label"
  [ ! -e "$target" ] || die "$target exists already: wait a second and run the backup again"
  started="$(date -u +%s)"
  say "Taking base backup $label (pg_basebackup, plain format, write-ahead log streamed alongside)"
  as_pg env PGPASSWORD="${PGPASSWORD:-}" "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" \
    -D "$target" -Fp -X stream -c fast -l "$label" --manifest-checksums=SHA256 \
    || { rm -rf "$target"; die "pg_basebackup failed (output above); nothing was kept"; }
  local finished
  finished="$(date -u +%s)"
  say "Checking it with pg_verifybackup (every file against the manifest, the write-ahead log it needs)"
  as_pg "$BIN/pg_verifybackup" -q "$target" \
    || { mv "$target" "$target.failed-check"; die "pg_verifybackup found the backup damaged; kept as $target.failed-check for inspection"; }
  # Beside the backup, not inside it: pg_verifybackup refuses files its manifest does not list.
  {
    printf 'label=%s\n' "$label"
    printf 'started=%s\n' "$started"
    printf 'finished=%s\n' "$finished"
    printf 'finished_utc=%s\n' "$(date -u -d "@$finished" '+%Y-%m-%d %H:%M:%S+00')"
  } >"$target.info"
  # Pushes the segment holding the backup's end to the archive now rather than at the next archive_timeout.
  psql_run 'select pg_switch_wal()' >/dev/null
  say "Base backup $label: $(du -sh "$target" | cut -f1), finished $(date -u -d "@$finished" '+%Y-%m-%d %H:%M:%S+00'), verified"
  say "It restores to any time after it with: ./build.sh restore --to \"YYYY-MM-DD HH:MM:SS+00\""
}

# The label of the newest base backup that finished at or before the epoch second $1; nothing when none did.
newest_backup_before() {
  local want="$1" info finished best="" best_finished=-1
  shopt -s nullglob
  for info in "$BACKUPS"/base/*.info; do
    finished="$(sed -n 's/^finished=//p' "$info")"
    [ -d "${info%.info}" ] || continue
    if [ "$finished" -le "$want" ] && [ "$finished" -gt "$best_finished" ]; then
      best="${info%.info}"
      best_finished="$finished"
    fi
  done
  shopt -u nullglob
  printf '%s\n' "$best"
}

oldest_backup_time() {
  local info oldest=""
  shopt -s nullglob
  for info in "$BACKUPS"/base/*.info; do
    local finished
    finished="$(sed -n 's/^finished=//p' "$info")"
    if [ -z "$oldest" ] || [ "$finished" -lt "$oldest" ]; then oldest="$finished"; fi
  done
  shopt -u nullglob
  [ -n "$oldest" ] && date -u -d "@$oldest" '+%Y-%m-%d %H:%M:%S+00'
}

# Waits until the archive holds segment $1 (the archiver copies it after a switch).
wait_for_archived() {
  local segment="$1" i
  for i in $(seq 1 120); do
    [ -f "$BACKUPS/wal/$segment" ] && return
    sleep 0.5
  done
  die "segment $segment did not reach $BACKUPS/wal within a minute: is archive_command failing? (see the server log)"
}

RECOVERY_BEGIN="# --- recovery settings of a point-in-time restore, removed after promotion ---"
RECOVERY_END="# --- end of recovery settings ---"

cmd_restore() {
  need data backups port user
  [ -n "$TARGET" ] || die "--to is missing: ./build.sh restore --to \"2026-12-03 14:05:00+00\""
  local target_epoch now
  target_epoch="$(TZ=UTC date -u -d "$TARGET" +%s 2>/dev/null)" \
    || die "\"$TARGET\" is not a time; write it as \"2026-12-03 14:05:00+00\" (with its time zone)"
  now="$(date -u +%s)"
  local target_utc
  # To the microsecond, as PostgreSQL stamps commits; a time without a zone is read as UTC.
  target_utc="$(TZ=UTC date -u -d "$TARGET" '+%Y-%m-%d %H:%M:%S.%6N+00')"
  [ "$target_epoch" -le "$now" ] \
    || die "$target_utc is in the future (it is now $(date -u -d "@$now" '+%Y-%m-%d %H:%M:%S+00')): nothing to restore to yet"
  [ -d "$BACKUPS/base" ] || die "no base backups in $BACKUPS/base: take one with ./build.sh backup"
  local backup
  backup="$(newest_backup_before "$target_epoch")"
  if [ -z "$backup" ]; then
    local oldest
    oldest="$(oldest_backup_time || true)"
    if [ -n "$oldest" ]; then
      die "no base backup finished before $target_utc (the oldest finished at $oldest): a backup restores only to times after it"
    fi
    die "no base backups in $BACKUPS/base: take one with ./build.sh backup"
  fi
  [ -f "$DATA/PG_VERSION" ] || die "$DATA is not a PostgreSQL data directory"

  local stamp aside fresh
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  aside="$DATA.before-restore-$stamp"
  fresh="$DATA.restoring-$stamp"

  if is_running; then
    # A commit stamped now, after the target, so replay finds where to stop; then the segment holding it is switched
    # out and archived, so the archive holds everything up to this moment.
    say "Archiving the write-ahead log up to now"
    psql_run 'select pg_current_xact_id()' >/dev/null
    local segment
    segment="$(psql_run 'select pg_walfile_name(pg_switch_wal())')"
    wait_for_archived "$segment"
    say "Stopping the cluster in $DATA"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 120 stop >/dev/null
  fi

  say "Restoring base backup $(basename "$backup") into a fresh data directory"
  rm -rf "$fresh"
  cp -a "$backup" "$fresh"
  rm -f "$fresh/postmaster.pid" "$fresh/server.log"
  # Segments the old cluster wrote but never archived (it stopped before a switch) are replayed too.
  local segment_file
  shopt -s nullglob
  for segment_file in "$DATA"/pg_wal/0*; do
    [ -f "$segment_file" ] || continue
    [ -e "$BACKUPS/wal/$(basename "$segment_file")" ] || cp -a "$segment_file" "$fresh/pg_wal/"
  done
  shopt -u nullglob
  {
    printf '\n%s\n' "$RECOVERY_BEGIN"
    printf "restore_command = 'cp \"%s/wal/%%f\" \"%%p\"'\n" "$(cd "$BACKUPS" && pwd)"
    printf "recovery_target_time = '%s'\n" "$target_utc"
    printf "recovery_target_action = 'promote'\n"
    printf "recovery_target_timeline = 'latest'\n"
    printf '%s\n' "$RECOVERY_END"
  } >>"$fresh/postgresql.conf"
  touch "$fresh/recovery.signal"
  if is_root; then chown -R postgres: "$fresh"; fi
  chmod 700 "$fresh"

  mv "$DATA" "$aside"
  mv "$fresh" "$DATA"
  say "Replaying the archived write-ahead log up to $target_utc"
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -o "-p $PORT" -w -t 300 start >/dev/null; then
    restore_failed "$aside" "the restored cluster did not start"
  fi
  local i promoted=""
  for i in $(seq 1 600); do
    if [ "$(psql_run 'select pg_is_in_recovery()' 2>/dev/null || true)" = "f" ]; then
      promoted=1
      break
    fi
    is_running || break
    sleep 0.5
  done
  [ -n "$promoted" ] || restore_failed "$aside" "recovery did not reach $target_utc"
  sed -i "/^$RECOVERY_BEGIN\$/,/^$RECOVERY_END\$/d" "$DATA/postgresql.conf"

  local last_commit timeline
  last_commit="$(psql_run "select coalesce(to_char(pg_last_xact_replay_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS+00'), 'none replayed')")"
  timeline="$(psql_run 'select timeline_id from pg_control_checkpoint()')"
  say "Restored to $target_utc:"
  say "  base backup        $(basename "$backup") (finished $(sed -n 's/^finished_utc=//p' "$backup.info"))"
  say "  last commit kept   $last_commit"
  say "  now serving        $DATA on 127.0.0.1:$PORT, promoted (timeline $timeline; later history stays in the archive)"
  say "  old data directory kept at $aside (delete it yourself once the restore is checked)"
}

# Puts the old data directory back when the restored one cannot serve, keeping the failed attempt for inspection.
restore_failed() {
  local aside="$1" reason="$2"
  as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  tail -n 15 "$DATA/server.log" >&2 2>/dev/null || true
  local failed="$DATA.failed-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv "$DATA" "$failed"
  mv "$aside" "$DATA"
  die "$reason (server log above); the old data directory is back in $DATA (not started), the failed attempt is in $failed"
}

main() {
  local command="${1:-}"
  [ $# -gt 0 ] && shift
  parse_options "$@"
  BIN="$(pg_bin_dir)"
  [ -n "$BIN" ] || die "PostgreSQL's tools (pg_basebackup, pg_ctl) were not found: apt-get install -y postgresql"
  case "$command" in
    archive-settings) cmd_archive_settings ;;
    backup) cmd_backup ;;
    restore) cmd_restore ;;
    *) die "usage: tools/pitr.sh archive-settings|backup|restore --data DIR --backups DIR --port PORT --user USER [--to TIME]" ;;
  esac
}

main "$@"
