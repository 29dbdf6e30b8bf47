#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#
#   razorpayriver/.ci/postgres.sh go test -run TestMultiProcessPostgres ./...
#
# Installs PostgreSQL from Debian's packages when it is missing, creates a
# cluster in a temporary directory as an unprivileged user, starts it on a
# free port of 127.0.0.1, runs the command with DATABASE_URL set (and
# RAZORPAYRIVER_REQUIRE_POSTGRES=1, so that the test fails rather than
# skips), then stops and removes the cluster, also when the command fails or
# the script is interrupted.
set -euo pipefail

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pgbin)" ]; then
  echo "postgres.sh: installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
bin=$(pgbin)
[ -x "$bin/initdb" ] || { echo "postgres.sh: no initdb found"; exit 1; }

# PostgreSQL refuses to run as root: use the unprivileged postgres user that
# the package creates (or the current user when it is not root).
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_user() { runuser -u postgres -- "$@"; }
fi

dir=$(mktemp -d /tmp/razorpayriver-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() {
  as_user "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: one that nothing answers on.
port=
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "postgres.sh: no free port"; exit 1; }

as_user "$bin/initdb" -D "$dir/data" -U river -A trust --no-sync -E UTF8 >/dev/null
as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || { cat "$dir/postgres.log"; exit 1; }
echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $dir)"

export DATABASE_URL="postgres://river@127.0.0.1:$port/postgres?sslmode=disable"
export RAZORPAYRIVER_REQUIRE_POSTGRES=1
"$@"
