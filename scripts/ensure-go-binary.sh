#!/usr/bin/env bash
# Prints the path of a tool that is built from a Go module, building it once with `go install`
# (progress shown) when none is found.
# usage: ensure-go-binary.sh NAME OVERRIDE_VARIABLE MODULE@VERSION "BUILD ESTIMATE" [KNOWN_PATH...]
# Looked for, in order: the path in $OVERRIDE_VARIABLE, NAME on PATH, the known paths, Go's bin directory.
set -euo pipefail
name="$1"; override="$2"; module="$3"; estimate="$4"; shift 4
for candidate in "${!override:-}" "$(command -v "$name" 2>/dev/null || true)" "$@" "$HOME/go/bin/$name"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "$name not found and Go is not installed: install Go, or put $name on PATH ($override)" >&2
  exit 1
fi
echo "building $name: go install $module ($estimate)" >&2
log="$(mktemp)"
go install -v "$module" >"$log" 2>&1 &
build=$!
while kill -0 "$build" 2>/dev/null; do
  sleep 10
  echo "  ... $(wc -l <"$log") packages so far ($(tail -n 1 "$log" | cut -c1-80))" >&2
done
if ! wait "$build"; then
  echo "go install failed; its last lines:" >&2
  tail -n 30 "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
bindir="$(go env GOBIN)"; [ -n "$bindir" ] || bindir="$(go env GOPATH)/bin"
bin="$bindir/$name"
[ -x "$bin" ] || { echo "go install finished but $bin is missing" >&2; exit 1; }
echo "$bin"
