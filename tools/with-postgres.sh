#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server: its own data
# directory under a temporary folder, listening only on a Unix socket in
# that folder (port 54329), as the postgres user when run as root. The
# server is stopped, and its folder removed, when the command ends, also on
# failure. The command finds the server through EQUITYAUDIT_PG_SOCKET and
# EQUITYAUDIT_PG_PORT.
set -u
bindir=$(pg_config --bindir 2>/dev/null)
if [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/equityaudit-pg.XXXXXX)
port=54329
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
chmod 700 "$dir"
stop() {
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap stop EXIT
as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -c listen_addresses=''" start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}
echo "with-postgres: server on socket $dir, port $port"
export EQUITYAUDIT_PG_SOCKET="$dir" EQUITYAUDIT_PG_PORT="$port"
"$@"
