#!/bin/bash
# Starts the image's server once while the image is built, and stops it, so that a pod's first
# start finds Liberty's workarea filled (features resolved, bundles cached): the benchmark's
# "restart" (median 7.1 s to ready, 5.8 s at a fast moment) instead of its "first start after the
# build" (12.7-13.8 s): docs/benchmark-report.md.
# Nothing is fetched: the features are in the package the builder stage made, and the service's
# peers are unreachable here, which the service waits out as it would in a pod.
#
# Usage: warm-start.sh <wlp directory> <server name>
set -euo pipefail

wlp=$1
server=$2
messages="$wlp/usr/servers/$server/logs/messages.log"
console=$(mktemp)

"$wlp/bin/server" run "$server" >"$console" 2>&1 &
pid=$!
# CWWKZ0001I: the application started; CWWKZ0002E: it failed to. Without Kafka the start takes
# about a minute (the first-start check waits out its timeouts), hence the generous bound.
for _ in $(seq 300); do
  if grep -qsE 'CWWKZ000(1I|2E)' "$messages" || ! kill -0 "$pid" 2>/dev/null; then
    break
  fi
  sleep 1
done
if ! grep -qs CWWKZ0001I "$messages"; then
  echo "warm-start: the application did not start (a failure here is the image's own)" >&2
  cat "$console" >&2
  kill -KILL "$pid" 2>/dev/null || true
  exit 1
fi
# SIGTERM, as the kubelet stops a pod: Liberty stops the application and the server cleanly.
kill -TERM "$pid"
wait "$pid" || true
# The logs of this run are not the pod's; the workarea stays.
rm -rf "$wlp/usr/servers/$server/logs" "$console"
