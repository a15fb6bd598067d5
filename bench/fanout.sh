#!/usr/bin/env bash
# Live fan-out budget (issue 7): 10,000 open SSE streams on one account:
# upstream polls per minute equal to those with one stream, server memory
# at most 20 KB per stream ((RSS with N - RSS with 0) / N), and a change
# reaching 99% of streams within 250 ms of the poll that saw it. The stream
# opener is server/benches/fanout.rs (tokio + reqwest). Peer: the one-stream
# run (polls per minute with N / with 1).
#
#   bench/fanout.sh                   prints "FANOUT …" last
#   STREAMS=2000 WINDOW=20 bench/fanout.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
STREAMS=${STREAMS:-10000}
WINDOW=${WINDOW:-30}
BUDGET_KB=20
BUDGET_MS=250
PORT=$((PORT_CONSOLE + 30))
SANDBOX_PORT=$((PORT_SANDBOX + 30))
bench_binary

# FANOUT_OPENER: an opener built before (skips the build).
opener=${FANOUT_OPENER:-}
[ -n "$opener" ] || step "building the stream opener (server/benches/fanout.rs)"
[ -n "$opener" ] || opener=$(cargo bench --locked -p scanport --features scanport-app/ssr --bench fanout --no-run \
  --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "fanout" and m.get("executable"):
        print(m["executable"])')
[ -x "$opener" ] || { echo "could not build the stream opener" >&2; exit 1; }

# Each stream is a socket in the console and one in the opener (separate
# processes, so each needs STREAMS and some).
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((STREAMS + 1000)) ]; then
  echo "open-file limit $(ulimit -n) is too low for $STREAMS streams" >&2
  exit 1
fi

step "sandbox :$SANDBOX_PORT, console :$PORT (task lists refreshed every 2 s while a scan runs)"
# A scan that runs for the whole benchmark keeps the hub at its busy pace.
BENCH_PACE_MS=600000 start_sandbox fanout-sandbox "$SANDBOX_PORT"
BENCH_BUSY_SECS=2 start_console fanout-console "$SANDBOX_PORT" "$PORT"

step "$STREAMS streams, ${WINDOW} s windows"
out=$(FANOUT_URL="http://127.0.0.1:$PORT" FANOUT_SANDBOX="http://127.0.0.1:$SANDBOX_PORT" \
  FANOUT_TOKEN=$TOKEN FANOUT_ACCOUNT=$BENCH_ACCOUNT FANOUT_PID=$CONSOLE_PID \
  FANOUT_STREAMS=$STREAMS FANOUT_WINDOW_SECS=$WINDOW "$opener" 2>&1) ||
  { echo "$out" >&2; exit 1; }
echo "$out" | grep -v FANOUT_RESULT >&2
line=$(echo "$out" | grep FANOUT_RESULT)
val() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
polls_1=$(val polls_1)
polls_n=$(val polls_n)
kb=$(val kb_per_stream)
p99=$(val p99_ms)
# Equal within one poll per window (a window catches k or k+1 polls).
polls_ok=$(awk "BEGIN { d = $polls_n - $polls_1; if (d < 0) d = -d; print (d <= 60 / $WINDOW + 0.01) ? \"met\" : \"NOT met\" }")
if [ "$p99" = none ]; then delivery="NOT met (a poll reached fewer than 99% of streams)"; else delivery=$(met "$p99" $BUDGET_MS); fi
printf '\npolls/min: %s with 1 stream, %s with %s (ratio %sx): %s\n' \
  "$polls_1" "$polls_n" "$STREAMS" "$(calc "$polls_n / ($polls_1 > 0 ? $polls_1 : 1)")" "$polls_ok"
printf 'memory: %s KB per stream (budget %s KB): %s\n' "$kb" "$BUDGET_KB" "$(met "$kb" $BUDGET_KB)"
printf 'delivery: worst poll p99 %s ms (budget %s ms): %s\n' "$p99" "$BUDGET_MS" "$delivery"
echo "FANOUT streams=$STREAMS polls_1=$polls_1 polls_n=$polls_n kb_per_stream=$kb p99_ms=$p99"
