#!/usr/bin/env bash
# Prints the path of a nats-server (JetStream built in), building it from its Go module when none is found.
exec bash "$(dirname "$0")/ensure-go-binary.sh" nats-server NATS_SERVER_BIN \
  github.com/nats-io/nats-server/v2@v2.15.2 "about 3 minutes on 2 cores" /usr/sbin/nats-server /usr/local/bin/nats-server
