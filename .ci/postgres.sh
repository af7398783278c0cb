#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the interface tests and prints its URL on stdout:
#   export PLANWATCH_TEST_DATABASE_URL="$(bash .ci/postgres.sh)"
# Installs Debian's postgresql when missing. The cluster listens on 127.0.0.1 only, on a free
# port, with a random password; it lives in a temporary folder and is stopped with the command
# printed on stderr (or simply dies with the machine).
set -euo pipefail

if ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bindir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

dir="$(mktemp -d /tmp/planwatch-postgres.XXXXXX)"
chmod 700 "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"

password="$(node -e "process.stdout.write(require('node:crypto').randomBytes(18).toString('hex'))")"
port="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")"
printf '%s\n' "$password" >"$dir/password"
[ "$(id -u)" = 0 ] && chown postgres: "$dir/password"

as_owner "$bindir/initdb" -D "$dir/data" -U planwatch --pwfile="$dir/password" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm "$dir/password"
# A throwaway test cluster: durability of the server itself is not under test, speed is.
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off" \
  start >&2 || { cat "$dir/server.log" >&2; exit 1; }
PGPASSWORD="$password" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U planwatch planwatch_test

echo "PostgreSQL on 127.0.0.1:$port; stop it with: runuser -u postgres -- $bindir/pg_ctl -D $dir/data stop" >&2
echo "postgres://planwatch:$password@127.0.0.1:$port/planwatch_test"
