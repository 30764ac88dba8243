#!/usr/bin/env bash
# Which threads a unary run keeps busy: our server (serve --conformance) under our load client, one
# connection with 100 calls in flight, CPU per thread from /proc over 8 s of the measured part.
# A diagnostic, not a test. Needs target/marketplace.jar (mvn -B package).
#   bench/thread-cpu.sh [PAYLOAD_BYTES]    default 1024
set -euo pipefail
cd "$(dirname "$0")/.."
payload=${1:-1024}
if ! [[ "$payload" =~ ^[0-9]+$ ]]; then
  echo "error: PAYLOAD_BYTES must be a number of bytes, got '$payload'" >&2
  exit 2
fi
jar=target/marketplace.jar
[ -f "$jar" ] || { echo "error: $jar is missing: run mvn -B package first" >&2; exit 2; }
jvm=(java -Xms512m -Xmx1g -XX:+UseG1GC)   # the flags bench/compare.py gives every server
port=50071
log=$(mktemp -d)
server= client=
# Unquoted on purpose: a process not started yet is no argument at all.
trap 'kill $server $client 2>/dev/null || true; rm -rf "$log"' EXIT

MARKETPLACE_ACCESS_LOG_LEVEL=OFF "${jvm[@]}" -jar "$jar" serve --conformance --host 127.0.0.1 \
  --port "$port" --management-port 0 --instances 2 >"$log/server" 2>&1 &
server=$!
until grep -q "serving gRPC" "$log/server"; do
  kill -0 "$server" 2>/dev/null || { echo "error: the server did not start: $(tail -1 "$log/server")" >&2; exit 1; }
  sleep 0.2
done
"${jvm[@]}" -jar "$jar" load --target "127.0.0.1:$port" --rpc bench-unary --payload "$payload" --concurrency 100 \
  --timeout 0 --warmup 25s --duration 12s >"$log/client" 2>&1 &
client=$!

# Per thread: process/thread id, name, user + system clock ticks (stat's fields after the name,
# which may hold spaces).
ticks() {
  for pid in "$server" "$client"; do
    for task in /proc/"$pid"/task/*; do
      # A thread may end between the listing and the reading: it is then left out.
      stat=$(sed 's/.*) //' "$task/stat" 2>/dev/null) || continue
      printf '%s/%s %s %s\n' "$pid" "${task##*/}" "$(tr ' ' _ <"$task/comm")" "$(awk '{print $12 + $13}' <<<"$stat")"
    done
  done
}
sleep 28
ticks >"$log/before"
sleep 8
ticks >"$log/after"
wait "$client"
hz=$(getconf CLK_TCK)
echo "unary, $payload B payload: $(grep -A1 '^rpc ' "$log/client" | tail -1 | awk '{print $3}') calls/s over the 12 s measured"
echo "busy threads, cores over 8 s (server pid $server, load client pid $client):"
join <(sort "$log/before") <(cut -d' ' -f1,3 "$log/after" | sort) |
  awk -v hz="$hz" -v server="$server" '{
      split($1, id, "/"); busy = ($4 - $3) / hz / 8
      if (busy >= 0.02) printf "  %-6s %-22s %.2f\n", (id[1] == server ? "server" : "load"), $2, busy
    }' | sort -k1,1 -k3,3nr
