#!/usr/bin/env bash
# `npm start`: the service in dry-run on a fresh machine, doing its own set-up.
#  - installs and builds when needed;
#  - Postgres from DATABASE_URL (started locally when it is a local cluster that is down; database created);
#  - a Temporal dev server when TEMPORAL_ADDRESS is not set (built when missing; SQLite in .data/, WAL);
#  - NATS when one answers at NATS_URL (default nats://127.0.0.1:4222), else intake over HTTP only.
# Everything it starts, it stops on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[dev] %s\n' "$*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing dependencies (npm ci)"; npm ci --no-audit --no-fund
fi
log "building"; npm run --silent build

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/activity_core}"
bash scripts/ensure-postgres.sh "$DATABASE_URL"

mkdir -p .data
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

port="${TEMPORAL_DEV_PORT:-7233}"
if [ -z "${TEMPORAL_ADDRESS:-}" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  log "found a Temporal server already listening on 127.0.0.1:$port; using it"
  export TEMPORAL_ADDRESS="127.0.0.1:$port"
elif [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  temporal_bin="$(bash scripts/ensure-temporal.sh)"
  log "starting the Temporal dev server on 127.0.0.1:$port (state in .data/temporal.db)"
  "$temporal_bin" server start-dev --headless --ip 127.0.0.1 --port "$port" \
    --db-filename .data/temporal.db --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
    --log-level warn >>.data/temporal.log 2>&1 &
  pids+=($!)
  export TEMPORAL_ADDRESS="127.0.0.1:$port"
fi

nats_url="${NATS_URL-nats://127.0.0.1:4222}"
if [ -n "$nats_url" ]; then
  hostport="${nats_url#*://}"; hostport="${hostport%%/*}"
  if (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null; then
    log "NATS intake from $nats_url"
  else
    log "no NATS at $nats_url: intake over POST /events only"; nats_url=""
  fi
fi
export NATS_URL="$nats_url"
export ISSUE_SINK_TYPE=null

log "starting activity-core in dry-run (ISSUE_SINK_TYPE=null) on port ${PORT:-3000}"
node dist/main.js &
app=$!
trap 'kill -TERM $app 2>/dev/null || true' INT TERM
set +e
wait "$app"; status=$?
wait "$app" 2>/dev/null
exit "$status"
