#!/usr/bin/env bash
# Prints the path of a temporal CLI, building it from its Go module when none is found.
# v1.5.1 is the newest tag whose go.mod has no replace directive (later ones refuse `go install`).
set -euo pipefail
for candidate in "${TEMPORAL_CLI:-}" "$(command -v temporal 2>/dev/null || true)" "$HOME/go/bin/temporal"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "temporal CLI not found and Go is not installed: install Go, or put temporal on PATH (TEMPORAL_CLI)" >&2
  exit 1
fi
echo "building the temporal CLI: go install github.com/temporalio/cli/cmd/temporal@v1.5.1 (about 6 minutes on 2 cores)" >&2
log="$(mktemp)"
go install -v github.com/temporalio/cli/cmd/temporal@v1.5.1 >"$log" 2>&1 &
build=$!
while kill -0 "$build" 2>/dev/null; do
  sleep 10
  echo "  ... $(wc -l <"$log") packages so far ($(tail -n 1 "$log" | cut -c1-80))" >&2
done
if ! wait "$build"; then
  echo "go install failed; its last lines:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
bindir="$(go env GOBIN)"; [ -n "$bindir" ] || bindir="$(go env GOPATH)/bin"
bin="$bindir/temporal"
[ -x "$bin" ] || { echo "go install finished but $bin is missing" >&2; exit 1; }
echo "$bin"
