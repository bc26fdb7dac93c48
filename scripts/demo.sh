#!/usr/bin/env bash
# `npm run demo`: what `npm start` brings up (scripts/dev.sh), then the seed's example end to end:
# sample sbom.generated events, the flag-stale-sbom schedule fired now, its decisions printed with
# their null- references, and the console URL. The service keeps running until Ctrl-C; with
# --once the demo stops it and exits (CI). A service already answering on PORT is used as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[demo] %s\n' "$*" >&2; }
once=false
[ "${1:-}" = "--once" ] && once=true
port="${PORT:-3000}"

answers() { node -e "fetch('http://127.0.0.1:$port/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }

service=""
stop() {
  if [ -n "$service" ]; then kill -TERM "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; fi
}
trap stop EXIT

if answers; then
  log "using the activity-core already answering on port $port"
  [ -f dist/demo/demo.js ] || npm run --silent build
else
  log "starting the service as npm start does (scripts/dev.sh)"
  bash scripts/dev.sh &
  service=$!
  for _ in $(seq 1 1200); do
    answers && break
    kill -0 "$service" 2>/dev/null || { log "the service did not start"; exit 1; }
    sleep 0.5
  done
fi

node dist/demo/demo.js

if [ "$once" = true ] || [ -z "$service" ]; then exit 0; fi
log "the service keeps running; Ctrl-C stops it"
trap 'stop; exit 0' INT TERM
wait "$service"
