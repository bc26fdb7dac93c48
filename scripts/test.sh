#!/usr/bin/env bash
# `npm test`: the type check and lint run beside jest instead of before it, at a lower priority
# (nice), so they take the CPU that jest leaves idle and never slow the build or a suite. Their
# output is shown when they fail; the run fails if any of the three does. The last line stays
# jest's 'tests: N passed, N failed, N skipped'. Arguments go to jest.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

background() {
  local name="$1"
  shift
  (
    started=$SECONDS
    "$@" >"$out/$name.log" 2>&1
    echo "$? $((SECONDS - started))" >"$out/$name.status"
  ) &
}

background typecheck nice -n 19 npm run --silent typecheck
background lint nice -n 19 npm run --silent lint

npx jest "$@" | tee "$out/jest.log"
jest_status=$?
wait

status=$jest_status
for name in typecheck lint; do
  read -r code seconds <"$out/$name.status"
  if [ "$code" -eq 0 ]; then
    echo "$name: passed in $seconds s"
  else
    echo "$name: FAILED (exit $code) in $seconds s:"
    cat "$out/$name.log"
    status=1
  fi
done
grep '^tests:' "$out/jest.log" | tail -n 1
exit "$status"
