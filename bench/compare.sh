#!/usr/bin/env bash
# Side-by-side benchmark of our server against grpc-java's, on this machine, in one run.
# A benchmark, not a test: it is not part of the test suite. Results go to bench/results/.
#   bench/compare.sh            full run (5 rounds; 3 for server streaming, start-up and the 10 MiB round trip; about 14 minutes on 2 cores)
#   bench/compare.sh --quick    1 round, shorter runs, to check the script itself
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests            # the fat jar
mvn -B -q invoker:run@grpc-java-peers    # the classpath of grpc-java's programs, on their own Netty
if ! command -v h2load >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq nghttp2-client) >/dev/null || echo "h2load unavailable: no transport ceiling"
  else
    echo "h2load not installed (Debian: nghttp2-client): no transport ceiling"
  fi
fi
exec python3 bench/compare.py "$@"
