#!/usr/bin/env bash
# `npm test`: the type check and lint run beside jest instead of before it, at the lowest priority
# (nice), so they take the CPU that jest leaves idle and hardly slow the build or a suite. Their
# output is shown when they fail; the run fails if any of the three does. When jest gets as far as
# reporting, the last line is its 'tests: N passed, N failed, N skipped'. Arguments go to jest.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
names=()
pids=()

# Each step runs in a process group of its own (job control, set -m, while it is started), so that
# stopping it reaches everything it started: npm, tsc or ESLint, jest's workers and its Temporal dev
# server. Not a session of its own (setsid): with the kernel's autogroup scheduling, each session
# gets an equal share of the CPU, whatever its nice value.
stop() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
}
trap 'rm -rf "$out"' EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

# Runs "$@" in the background as step $1, its output kept for the report.
background() {
  local name="$1"
  shift
  set -m
  (
    started=$SECONDS
    "$@" >"$out/$name.log" 2>&1
    code=$?
    echo "$((SECONDS - started))" >"$out/$name.seconds"
    exit "$code"
  ) &
  set +m
  names+=("$name")
  pids+=("$!")
}

background typecheck nice -n 19 npm run --silent typecheck
background lint nice -n 19 npm run --silent lint

set -m
JEST_SUMMARY_FILE="$out/summary" npx jest "$@" &
jest_pid=$!
set +m
pids+=("$jest_pid")
wait "$jest_pid"
status=$?

for i in "${!names[@]}"; do
  name="${names[$i]}"
  wait "${pids[$i]}"
  code=$?
  seconds="$(cat "$out/$name.seconds" 2>/dev/null || echo '?')"
  if [ "$code" -eq 0 ]; then
    echo "$name: passed in $seconds s"
  else
    echo "$name: FAILED (exit $code) after $seconds s:"
    cat "$out/$name.log" 2>/dev/null
    status=1
  fi
done
if [ -s "$out/summary" ]; then
  echo
  cat "$out/summary"
fi
exit "$status"
