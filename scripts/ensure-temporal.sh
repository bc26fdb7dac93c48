#!/usr/bin/env bash
# Prints the path of a temporal CLI, building it from its Go module when none is found.
# v1.5.1 is the newest tag whose go.mod has no replace directive (later ones refuse `go install`).
set -euo pipefail
for candidate in "${TEMPORAL_CLI:-}" "$(command -v temporal 2>/dev/null || true)" "$HOME/go/bin/temporal"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if ! command -v go >/dev/null 2>&1; then
  echo "temporal CLI not found and Go is not installed: install Go, or put temporal on PATH" >&2
  exit 1
fi
echo "building the temporal CLI (go install ...cli/cmd/temporal@v1.5.1, about 6 minutes on 2 cores)..." >&2
go install -v github.com/temporalio/cli/cmd/temporal@v1.5.1 2>&1 \
  | awk '{ n++; if (n % 25 == 0) printf("  ... %d packages compiled (%s)\n", n, $0) > "/dev/stderr" }'
bin="$(go env GOPATH)/bin/temporal"
[ -x "$bin" ] || { echo "go install finished but $bin is missing" >&2; exit 1; }
echo "$bin"
