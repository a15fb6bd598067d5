#!/usr/bin/env bash
# Several replicas, one poller (issue 22): upstream task-list calls a
# minute with 200 viewers on one replica, then on three replicas sharing
# one PostgreSQL database (goal: equal). Runs the replica test of
# server/tests/restarts.rs against a throwaway PostgreSQL cluster, which
# also checks each viewer's delay and the take-over after `kill -9`.
#
#   bench/replicas.sh     prints "REPLICAS calls_1=… calls_3=… lag_ms=…" last
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"
"$ROOT/scripts/patch-tachys.sh"
ensure_postgres_tools
start_test_postgres
log=$(mktemp)
cargo test --locked --features scanport-app/ssr -p scanport --test restarts \
  replicas_poll_the_task_lists_as_one -- --nocapture 2>&1 | tee "$log" >&2
line=$(grep -m1 'task-list calls a minute' "$log")
lag=$(grep -m1 -o 'slowest arrived [0-9]* ms' "$log" | grep -o '[0-9]*')
one=$(echo "$line" | sed -n 's/.*one replica \([0-9]*\).*/\1/p')
three=$(echo "$line" | sed -n 's/.*three replicas \([0-9]*\).*/\1/p')
rm -f "$log"
echo "REPLICAS calls_1=$one calls_3=$three lag_ms=$lag"
