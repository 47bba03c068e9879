#!/usr/bin/env bash
# The webhook benchmark (issue #10): MiniCC against a naive one-INSERT endpoint (bench/MiniCC.NaiveWebhook)
# on SQLite, MariaDB and PostgreSQL, with wrk, side by side in one run; then MiniCC's cold start to its first
# answered webhook. Prints a Markdown report for bench/RESULTS.md, kept with the raw measurements (TSV) and,
# after a failure, the servers' logs in artifacts/bench-webhooks/<time>/.
#   bench/webhooks/run.sh
# Settings (environment; the defaults take 15 to 25 minutes, longer when MiniCC's spool is slow to drain):
#   DURATION=10  seconds per measured run      WARMUP=3   seconds of warm-up per endpoint and system
#   CONNECTIONS="64 256"   ENDPOINTS="incoming menu wait whisper queue-exit status"
#   DATABASES="sqlite mysql postgres"   STARTS=10 (cold starts per series; 0 skips them)
#   DRAIN_WAIT=20 / FINAL_DRAIN=120: how long MiniCC's spool may take to drain before a run / before the count
#   MINICC_MYSQL_PORT=3337 MINICC_PG_PORT=5463 (the throwaway servers of scripts/test-databases.sh)
# Needs root for the database servers; installs wrk, sqlite3, jq and curl from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD HERE=$PWD/bench/webhooks

DURATION=${DURATION:-10} WARMUP=${WARMUP:-3} CONNECTIONS=${CONNECTIONS:-64 256} STARTS=${STARTS:-10}
ENDPOINTS=${ENDPOINTS:-incoming menu wait whisper queue-exit status}
DATABASES=${DATABASES:-sqlite mysql postgres}
DRAIN_WAIT=${DRAIN_WAIT:-20} FINAL_DRAIN=${FINAL_DRAIN:-120}
export MINICC_MYSQL_PORT=${MINICC_MYSQL_PORT:-3337} MINICC_PG_PORT=${MINICC_PG_PORT:-5463}
COMMAND="DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=\"$CONNECTIONS\" ENDPOINTS=\"$ENDPOINTS\" DATABASES=\"$DATABASES\""
COMMAND+=" STARTS=$STARTS DRAIN_WAIT=$DRAIN_WAIT FINAL_DRAIN=$FINAL_DRAIN bench/webhooks/run.sh"
# The original's figures (req/s) that issue #10 measures against; menu and whisper have none.
declare -A PHP=([incoming]=3306 [queue-exit]=2514 [wait]=7353 [status]=2701)
# The call_events kind each endpoint records.
declare -A KIND=([incoming]=incoming [menu]=ivr [wait]=waiting [whisper]=pickup [queue-exit]=queue_exit [status]=call_end)

log() { echo "[$(date +%T)] $*" >&2; }
die() { log "error: $*"; exit 1; }

WORK=$(mktemp -d /tmp/minicc-bench.XXXXXX)
chmod 755 "$WORK" # the database servers' users must be able to enter it
export MINICC_DB_ROOT=$WORK/db
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$REPO/artifacts/bench-webhooks/$STAMP
DB_STARTED= WRK_PID=
PIDS=()

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; snooze 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  set +e
  [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  [ -n "$DB_STARTED" ] && scripts/test-databases.sh stop >/dev/null 2>&1
  if ((status != 0)); then
    mkdir -p "$OUT" && cp "$WORK"/*.log "$WORK"/*.tsv "$OUT/" 2>/dev/null && log "logs kept in $OUT"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A sleep without a process per call: the probes below run between a server's start and its first answer.
exec {SNOOZE_FD}<> <(:)
snooze() { read -rt "$1" -u "$SNOOZE_FD" || true; }

free_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 20000))
    [ -z "$(ss -ltnH "sport = :$port")" ] && { echo "$port"; return; }
  done
  die "no free port found"
}

# --- prerequisites and builds ------------------------------------------------------------------------
need=()
for tool in wrk sqlite3 jq curl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
log "publishing MiniCC and the naive endpoint (Release, ReadyToRun, as deployed)"
MINICC_DIR=$WORK/minicc NAIVE_DIR=$WORK/naive
for pair in "src/MiniCC/MiniCC.csproj $MINICC_DIR" "bench/MiniCC.NaiveWebhook/MiniCC.NaiveWebhook.csproj $NAIVE_DIR"; do
  set -- $pair
  dotnet publish "$1" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$2" --nologo -v q \
    >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "publish failed"; }
done

if [[ " $DATABASES " == *" mysql "* || " $DATABASES " == *" postgres "* ]]; then
  ((EUID == 0)) || die "MariaDB and PostgreSQL need root (or run with DATABASES=sqlite)"
  log "starting MariaDB on :$MINICC_MYSQL_PORT and PostgreSQL on :$MINICC_PG_PORT"
  DB_STARTED=1
  scripts/test-databases.sh start >/dev/null 2>"$WORK/databases.log" || { cat "$WORK/databases.log" >&2; die "database servers"; }
fi

# --- the servers -------------------------------------------------------------------------------------
# Development: unsigned webhooks are allowed there, so no Twilio token is needed (Security/WebhookSecurity.cs).
# A token or Basic auth in the caller's environment would make every request a 401/403: removed.
start_server() { # system provider connection-string port [spool]
  local system=$1 provider=$2 cs=$3 port=$4 spool=${5:-}
  if [ "$system" = minicc ]; then
    (cd "$MINICC_DIR" && exec env -u Twilio__AuthToken -u MiniCC__BasicAuth__Username -u MiniCC__BasicAuth__Password \
      ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Database__Provider="$provider" \
      ConnectionStrings__MiniCC="$cs" MiniCC__SpoolDirectory="$spool" ./minicc --urls "http://127.0.0.1:$port") \
      >>"$WORK/minicc.log" 2>&1 &
  else
    (cd "$NAIVE_DIR" && exec env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
      Database__Provider="$provider" ConnectionStrings__Naive="$cs" ./MiniCC.NaiveWebhook --urls "http://127.0.0.1:$port") \
      >>"$WORK/naive.log" 2>&1 &
  fi
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
}

wait_listening() { # port pid
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$2" 2>/dev/null || die "a server exited at start (see the logs)"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/healthz" || true)" != 000 ] && return
    snooze 0.1
  done
  die "a server did not listen on :$1 within 30 s"
}

backlog() { curl -s --max-time 5 "http://127.0.0.1:$1/healthz" | jq -r '.spool.backlog'; }

drain() { # port seconds: waits, at most that long, until MiniCC's spool is empty
  local i
  for ((i = 0; i < $2 * 2; i++)); do [ "$(backlog "$1")" = 0 ] && return; snooze 0.5; done
  log "warning: MiniCC's spool still holds $(backlog "$1") events after $2 s"
}

# utime + stime (+ those of reaped children) of the given processes, in clock ticks.
cpu_ticks() {
  local pid total=0 fields
  for pid in "$@"; do
    fields=$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + $(awk '{print $12 + $13 + $14 + $15}' <<<"$fields")))
  done
  echo "$total"
}

db_pids() { # the database server's processes (PostgreSQL's backends are the postmaster's children)
  case $1 in
    mysql) cat "$MINICC_DB_ROOT/mariadb/run/mysqld.pid" ;;
    postgres) local pm; pm=$(head -1 "$MINICC_DB_ROOT/pg/data/postmaster.pid"); echo "$pm"; pgrep -P "$pm" || true ;;
  esac
}

sql() { # db database query: tab-separated rows
  case $1 in
    sqlite) sqlite3 -separator $'\t' "$2" "$3" ;;
    mysql) MYSQL_PWD=minicc mariadb --no-defaults -h127.0.0.1 -P"$MINICC_MYSQL_PORT" -uminicc -N -B -D "$2" -e "$3" ;;
    postgres) PGPASSWORD=minicc psql -X -q -At -F $'\t' -h 127.0.0.1 -p "$MINICC_PG_PORT" -U minicc -d "$2" -c "$3" ;;
  esac
}

# --- one wrk run ---------------------------------------------------------------------------------------
SEQ=0 BASE=$(printf '%04x' $((RANDOM)))
measure() { # db phase endpoint connections seconds system port pid
  local db=$1 phase=$2 endpoint=$3 conns=$4 seconds=$5 system=$6 port=$7 pid=$8 run cpu0 db0 cpu1 db1 result before after=""
  run=$BASE$(printf '%04x' "$SEQ"); SEQ=$((SEQ + 1))
  drain "$MPORT" "$DRAIN_WAIT" # a spool still replaying takes CPU from whichever system runs next
  before=$(backlog "$MPORT")
  # Peak RSS of this run alone: writing 5 to clear_refs resets VmHWM to the current RSS.
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  cpu0=$(cpu_ticks "$pid") db0=$(cpu_ticks $(db_pids "$db"))
  wrk -t2 -c"$conns" -d"${seconds}s" --timeout 10s --latency -s "$HERE/webhook.lua" \
    "http://127.0.0.1:$port/voice/$endpoint" -- "$endpoint" "$run" >"$WORK/wrk.out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=
  cpu1=$(cpu_ticks "$pid") db1=$(cpu_ticks $(db_pids "$db"))
  result=$(grep '^RESULT' "$WORK/wrk.out" | cut -f2-) || { cat "$WORK/wrk.out" >&2; die "wrk gave no result"; }
  [ "$system" = minicc ] && after=$(backlog "$port")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$phase" "$endpoint" "$conns" "$system" "$run" \
    "$result" "$(awk '/^VmHWM/{print $2}' "/proc/$pid/status")" "$((cpu1 - cpu0))" "$((db1 - db0))" "$after" "$before" \
    >>"$WORK/runs.tsv"
  [ "$phase" = measured ] && log "  $db $endpoint c$conns $system: $(awk '{printf "%.0f req/s", $7 / $11 * 1e6}' <<<"$db $phase $endpoint $conns $system $run $result")"
  return 0
}

bench_database() { # db
  local db=$1 provider=$1 mcs ncs mdb=minicc_bench ndb=naive_bench mport nport mpid npid endpoint conns n=0
  case $db in
    sqlite)
      mdb=$WORK/minicc.db ndb=$WORK/naive.db mcs="Data Source=$mdb" ncs="Data Source=$ndb" ;;
    mysql)
      sql mysql minicc "CREATE DATABASE $mdb CHARACTER SET utf8mb4; CREATE DATABASE $ndb CHARACTER SET utf8mb4"
      # Both pools capped alike, so that the two fit in MariaDB's default max_connections (151).
      mcs="Server=127.0.0.1;Port=$MINICC_MYSQL_PORT;Database=$mdb;User ID=minicc;Password=minicc;Maximum Pool Size=40"
      ncs=${mcs/$mdb/$ndb} ;;
    postgres)
      sql postgres minicc "CREATE DATABASE $mdb" && sql postgres minicc "CREATE DATABASE $ndb"
      # PostgreSQL's default max_connections is 100: two pools of 40.
      mcs="Host=127.0.0.1;Port=$MINICC_PG_PORT;Database=$mdb;Username=minicc;Password=minicc;Maximum Pool Size=40"
      ncs=${mcs/$mdb/$ndb} ;;
  esac
  log "$db: starting MiniCC and the naive endpoint on fresh databases"
  mport=$(free_port); start_server minicc "$provider" "$mcs" "$mport" "$WORK/spool-$db"; mpid=$SERVER_PID
  wait_listening "$mport" "$mpid"
  MPORT=$mport
  nport=$(free_port); start_server naive "$provider" "$ncs" "$nport"; npid=$SERVER_PID
  wait_listening "$nport" "$npid"
  for endpoint in $ENDPOINTS; do
    for system in minicc naive; do
      if [ "$system" = minicc ]; then
        measure "$db" warmup "$endpoint" 64 "$WARMUP" minicc "$mport" "$mpid"
      else
        measure "$db" warmup "$endpoint" 64 "$WARMUP" naive "$nport" "$npid"
      fi
    done
    for conns in $CONNECTIONS; do
      # Side by side, the order alternating (ABBA), so that drift and whatever one leaves behind hit both.
      if ((n++ % 2 == 0)); then
        measure "$db" measured "$endpoint" "$conns" "$DURATION" minicc "$mport" "$mpid"
        measure "$db" measured "$endpoint" "$conns" "$DURATION" naive "$nport" "$npid"
      else
        measure "$db" measured "$endpoint" "$conns" "$DURATION" naive "$nport" "$npid"
        measure "$db" measured "$endpoint" "$conns" "$DURATION" minicc "$mport" "$mpid"
      fi
    done
  done
  drain "$mport" "$FINAL_DRAIN"
  # What had not landed yet is still in the spool, and nothing was lost unless "lost" says so.
  printf '%s\t%s\n' "$db" "$(curl -s "http://127.0.0.1:$mport/healthz" | jq -r '[.spool.backlog, .lost] | @tsv')" >>"$WORK/spool.tsv"
  stop_pid "$mpid"; stop_pid "$npid"
  # Rows landed, per run (the CallSid's prefix) and kind.
  sql "$db" "$mdb" "SELECT substr(call_sid, 3, 8), kind, COUNT(*) FROM call_events GROUP BY 1, 2" | sed "s/^/$db	minicc	/" >>"$WORK/landed.tsv"
  sql "$db" "$ndb" "SELECT substr(call_sid, 3, 8), kind, COUNT(*) FROM webhook_events GROUP BY 1, 2" | sed "s/^/$db	naive	/" >>"$WORK/landed.tsv"
}

# --- cold start to the first answered webhook (SQLite) --------------------------------------------------
cold_start() { # series (new: an empty database each time; existing: the same database again)
  local series=$1 i ms
  for ((i = 0; i < STARTS; i++)); do
    ms=$(COLDSTART_DIR=$WORK/cold "$REPO/bench/coldstart/first-answer.sh" "$MINICC_DIR" "$series") ||
      die "MiniCC did not answer after start (its log is above)"
    printf '%s\t%s\n' "$series" "${ms% ms}" >>"$WORK/coldstart.tsv"
  done
}

: >"$WORK/runs.tsv"; : >"$WORK/landed.tsv"; : >"$WORK/coldstart.tsv"; : >"$WORK/spool.tsv"
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
if ((STARTS > 0)); then
  log "cold start: $STARTS starts on a new SQLite database, then $STARTS on an existing one"
  cold_start new; cold_start existing
fi
for db in $DATABASES; do bench_database "$db"; done

# --- the report ----------------------------------------------------------------------------------------
versions="MiniCC $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (modified)'), .NET $(dotnet --version) (ASP.NET Core $(dotnet --list-runtimes | awk '/AspNetCore/{v=$2} END{print v}')), SQLite via SQLitePCLRaw.bundle_e_sqlite3 $(grep -o 'bundle_e_sqlite3" Version="[^"]*' Directory.Packages.props | cut -d'"' -f3)"
[[ " $DATABASES " == *" mysql "* ]] && versions+=", MariaDB $(mariadbd --version | awk '{print $3}' | cut -d- -f1)"
[[ " $DATABASES " == *" postgres "* ]] && versions+=", PostgreSQL $(psql --version | awk '{print $3}')"
versions+=", wrk $({ wrk -v 2>&1 || true; } | awk 'NR==1{sub(/^debian\//, "", $2); print $2}')"
mkdir -p "$OUT"
awk -F'\t' -f "$HERE/report.awk" \
  -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v command="$COMMAND" -v versions="$versions" \
  -v machine="$(nproc) cores ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory, $(. /etc/os-release && echo "$PRETTY_NAME"), load average $START_LOAD at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
  -v duration="$DURATION" -v warmup="$WARMUP" -v endpoints="$ENDPOINTS" -v connections="$CONNECTIONS" -v databases="$DATABASES" \
  -v php="incoming=${PHP[incoming]} queue-exit=${PHP[queue-exit]} wait=${PHP[wait]} status=${PHP[status]}" \
  -v kinds="$(for e in "${!KIND[@]}"; do printf '%s=%s ' "$e" "${KIND[$e]}"; done)" -v clk="$(getconf CLK_TCK)" \
  -v drainWait="$DRAIN_WAIT" -v finalDrain="$FINAL_DRAIN" \
  "$WORK/runs.tsv" "$WORK/landed.tsv" "$WORK/coldstart.tsv" "$WORK/spool.tsv" >"$OUT/report.md"
cp "$WORK"/*.tsv "$OUT/"
cat "$OUT/report.md"
log "report: $OUT/report.md (the whole run took $SECONDS s)"
