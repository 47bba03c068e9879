#!/usr/bin/env bash
# One cold start of MiniCC on SQLite: starts the given build, asks /voice/incoming until it answers 200, prints the
# milliseconds from the start to that answer, and stops the server. bench/webhooks/run.sh runs it for its cold-start
# table; farm-bench can pair two builds with it:
#   farm-bench -n 10 -- bench/coldstart/first-answer.sh artifacts/bin/MiniCC/release \
#     --vs 'bench/coldstart/first-answer.sh artifacts/publish/MiniCC/release_linux-x64'
# A second argument "existing" keeps the database between starts (a restart); otherwise each start creates it.
# COLDSTART_DIR: where the database, spool and server log go (default /tmp/minicc-coldstart-<uid>).
set -euo pipefail
dir=$(cd "$1" && pwd) series=${2:-new}
work=${COLDSTART_DIR:-/tmp/minicc-coldstart-$(id -u)}
mkdir -p "$work"
[ "$series" = existing ] || rm -rf "$work"/cold.db* "$work/spool"
body="CallSid=CA00000000000000000000000000000001&From=%2B819011112222&To=%2B81312345678"
# A sleep without a process per call: the probes run between the server's start and its first answer.
exec {snooze_fd}<> <(:)
snooze() { read -rt "$1" -u "$snooze_fd" || true; }
for ((attempt = 0; attempt < 100; attempt++)); do
  port=$((20000 + RANDOM % 20000))
  [ -z "$(ss -ltnH "sport = :$port")" ] && break
done
t0=$(date +%s%N)
(cd "$dir" && exec env -u Twilio__AuthToken -u MiniCC__BasicAuth__Username -u MiniCC__BasicAuth__Password \
  ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Database__Provider=sqlite \
  ConnectionStrings__MiniCC="Data Source=$work/cold.db" MiniCC__SpoolDirectory="$work/spool" ./minicc --urls "http://127.0.0.1:$port") \
  >>"$work/server.log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true' EXIT
for ((tries = 0; tries < 3000; tries++)); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --data "$body" "http://127.0.0.1:$port/voice/incoming" || true)
  [ "$code" = 200 ] && { echo "$((($(date +%s%N) - t0) / 1000000)) ms"; exit 0; }
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  snooze 0.01
done
echo "no answer within 30 s" >&2
exit 1
