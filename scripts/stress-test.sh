#!/usr/bin/env bash
# Runs the README's test command (`npm test`) while stress-ng keeps every core busy, as another process on a
# shared machine would: the suite must pass however slow the machine is (issue 12). Any other command can be
# given instead, e.g. one suite:
#   scripts/stress-test.sh                                             # npm test, on the embedded database
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test scripts/stress-test.sh
#   scripts/stress-test.sh npm run jest -- test/outbox.e2e-spec.ts
# STRESS_CPUS sets how many busy-looping workers stress-ng runs (default: one per core, `nproc`).
# Needs stress-ng (Debian: apt-get install -y stress-ng). Exits with the command's status.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "stress-test: stress-ng is missing; install it with: apt-get install -y stress-ng" >&2
  exit 2
fi
[ "$#" -gt 0 ] || set -- npm test

CPUS=${STRESS_CPUS:-$(nproc)}
# A bounded run (4 h) so that no stressor outlives this script even if it is killed hard.
stress-ng --cpu "$CPUS" --timeout 4h --quiet &
STRESS_PID=$!
trap 'kill "$STRESS_PID" 2>/dev/null; wait "$STRESS_PID" 2>/dev/null' EXIT
sleep 2
if ! kill -0 "$STRESS_PID" 2>/dev/null; then
  echo "stress-test: stress-ng did not start" >&2
  exit 2
fi

echo "stress-test: $CPUS stress-ng CPU workers on $(nproc) cores; running: $*"
started=$SECONDS
"$@"
status=$?
echo "stress-test: exit $status after $((SECONDS - started)) s under load (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
exit "$status"
