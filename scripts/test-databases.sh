#!/usr/bin/env bash
# Starts throwaway MariaDB and PostgreSQL servers on loopback for MiniCC's tests, and stops them.
#   eval "$(scripts/test-databases.sh start)"   # prints export MINICC_TEST_MYSQL=… MINICC_TEST_POSTGRES=…
#   scripts/test-databases.sh stop
#   scripts/test-databases.sh stop-mysql | start-mysql   (an outage: the server goes away and comes back, data kept)
# Needs root (the servers run as the mysql / postgres users). Installs Debian's packages when missing.
# Data lives under $MINICC_DB_ROOT (default /tmp/minicc-test-databases) and is deleted on stop.
set -euo pipefail
ROOT=${MINICC_DB_ROOT:-/tmp/minicc-test-databases}
MYSQL_PORT=${MINICC_MYSQL_PORT:-3307}
PG_PORT=${MINICC_PG_PORT:-5433}

log() { echo "test-databases: $*" >&2; }

install_missing() {
  local need=()
  command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  if ((${#need[@]})); then
    log "installing ${need[*]}"
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  fi
}

run_mariadb() {
  local d=$ROOT/mariadb
  mariadbd --no-defaults --user=mysql --datadir="$d/data" --socket="$d/run/mysqld.sock" --pid-file="$d/run/mysqld.pid" \
    --port="$MYSQL_PORT" --bind-address=127.0.0.1 --skip-name-resolve --log-error="$d/error.log" >/dev/null 2>&1 &
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults --socket="$d/run/mysqld.sock" -uroot ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

start_mariadb() {
  local d=$ROOT/mariadb
  rm -rf "$d"; mkdir -p "$d/data" "$d/run"; chown -R mysql:mysql "$d"
  mariadb-install-db --no-defaults --user=mysql --datadir="$d/data" --auth-root-authentication-method=socket \
    --skip-test-db >"$d/install.log" 2>&1
  run_mariadb
  mariadb --no-defaults --socket="$d/run/mysqld.sock" -uroot -e "
    CREATE DATABASE minicc CHARACTER SET utf8mb4;
    CREATE USER 'minicc'@'%' IDENTIFIED BY 'minicc';
    GRANT ALL ON *.* TO 'minicc'@'%';
    FLUSH PRIVILEGES;" >&2
  echo "export MINICC_TEST_MYSQL='Server=127.0.0.1;Port=$MYSQL_PORT;Database=minicc;User ID=minicc;Password=minicc'"
}

start_postgres() {
  local d=$ROOT/pg b
  b=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  rm -rf "$d"; mkdir -p "$d"; chown postgres:postgres "$d"
  runuser -u postgres -- "$b/initdb" -D "$d/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust \
    --auth-host=scram-sha-256 >"$d/initdb.log" 2>&1
  runuser -u postgres -- "$b/pg_ctl" -D "$d/data" -l "$d/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $d" start >&2
  # pg_signal_backend: the tests drop each throwaway database WITH (FORCE), which must end whatever is connected to it,
  # an autovacuum worker included (without it the drop fails with 42501 when autovacuum happens to be there).
  psql -X -q -h "$d" -p "$PG_PORT" -U postgres -c "CREATE ROLE minicc LOGIN CREATEDB PASSWORD 'minicc'" \
    -c "GRANT pg_signal_backend TO minicc" \
    -c "CREATE DATABASE minicc OWNER minicc" >&2
  echo "export MINICC_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Database=minicc;Username=minicc;Password=minicc'"
}

stop_all() {
  local d=$ROOT b
  if [ -S "$d/mariadb/run/mysqld.sock" ]; then
    mariadb-admin --no-defaults --socket="$d/mariadb/run/mysqld.sock" -uroot shutdown >/dev/null 2>&1 || true
  fi
  if [ -d "$d/pg/data" ]; then
    b=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$b/pg_ctl" -D "$d/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$d"
}

case "${1:-}" in
  start)
    stop_all
    mkdir -p "$ROOT"; chmod 755 "$ROOT"
    install_missing
    start_mariadb
    start_postgres
    ;;
  stop) stop_all ;;
  # For outage tests: take the MariaDB server away and bring it back, keeping its data.
  stop-mysql)
    mariadb-admin --no-defaults --socket="$ROOT/mariadb/run/mysqld.sock" -uroot shutdown
    for _ in $(seq 1 300); do [ -e "$ROOT/mariadb/run/mysqld.pid" ] || break; sleep 0.1; done
    ;;
  start-mysql) run_mariadb ;;
  *) echo "usage: $0 start|stop|stop-mysql|start-mysql" >&2; exit 2 ;;
esac
