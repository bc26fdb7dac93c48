#!/usr/bin/env bash
# Makes sure the Postgres of $1 answers and that its database exists.
set -euo pipefail
url="$1"
db="${url##*/}"; db="${db%%\?*}"
admin="${url%/*}/postgres"
if ! pg_isready -d "$admin" -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "[postgres] not answering; starting the local cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -d "$admin" -q 2>/dev/null && break; sleep 1; done
  pg_isready -d "$admin" -q || { echo "[postgres] no Postgres at ${admin%%@*}@… (DATABASE_URL)" >&2; exit 1; }
fi
if [ "$(psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
  echo "[postgres] creating database $db" >&2
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi
