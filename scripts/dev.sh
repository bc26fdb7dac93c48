#!/usr/bin/env bash
# `npm start`: the service in dry-run on any machine with Node and Go, doing its own set-up.
#  - installs dependencies and builds when they are out of date;
#  - uses the Postgres, NATS and Temporal that answer, and brings up the ones that do not
#    (scripts/dev-services.sh: the rules, and $DEV_DATA_DIR where their state is kept);
#  - runs the service with ISSUE_SINK_TYPE=null until Ctrl-C, then stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dev-services.sh

# DEV_SKIP_SETUP=1 runs what is installed and built as it is (the test suite, which built it
# already, sets it: an install under a running test run would pull node_modules from under it).
if [ "${DEV_SKIP_SETUP:-}" != 1 ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    dev_log "installing dependencies (npm ci)"; npm ci --no-audit --no-fund
  fi
  bundle=dist/temporal/workflow-bundle.js
  if [ ! -f "$bundle" ] || [ -n "$(find src package-lock.json -newer "$bundle" -print -quit)" ]; then
    dev_log "building (npm run build)"; npm run --silent build
  fi
fi

trap dev_services_down EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
dev_services_up

export ISSUE_SINK_TYPE=null
dev_log "starting activity-core in dry-run (ISSUE_SINK_TYPE=null) on port ${PORT:-3000}"
# The Node flags `npm run start:prod` uses (package.json config.node_flags: the memory they save
# is in the README), also when this script is run without npm.
node_flags=${npm_package_config_node_flags-$(node -p "(require('./package.json').config || {}).node_flags || ''")}
# shellcheck disable=SC2086 # the flags are words
node $node_flags dist/main.js &
app=$!
trap 'kill -TERM "$app" 2>/dev/null || true' INT TERM HUP
set +e
wait "$app"; status=$?
if kill -0 "$app" 2>/dev/null; then
  # A signal ended the wait: the service finishes what is in flight (the engines are still up),
  # within 30 s, before the EXIT trap stops the engines.
  deadline=$((SECONDS + 30))
  while kill -0 "$app" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$app" 2>/dev/null; then
    dev_log "the service did not stop within 30 s: killing it"
    kill -KILL "$app" 2>/dev/null
  fi
  wait "$app"; status=$?
fi
exit "$status"
