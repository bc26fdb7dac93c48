#!/usr/bin/env bash
# Prints the path of a temporal CLI, building it from its Go module when none is found.
# v1.5.1 is the newest tag whose go.mod has no replace directive (later ones refuse `go install`).
exec bash "$(dirname "$0")/ensure-go-binary.sh" temporal TEMPORAL_CLI \
  github.com/temporalio/cli/cmd/temporal@v1.5.1 "about 6 minutes on 2 cores"
