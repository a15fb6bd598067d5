#!/usr/bin/env bash
# Load on loopback against a release Scanport with its embedded sandbox
# upstream: 200 concurrent connections for 60 s (199 reading the task list
# and the image list, 1 launching a scan a second) from wrk, while 1000
# live-update streams stay open. Prints requests/s, p50/p99, errors (goal
# 0), server memory at start and end, and the live hub's upstream calls a
# minute. On demand (not in CI); about 2 minutes.
#
#   scripts/reliability/load.sh [seconds, default 60]
#
# Environment: LOAD_PORT (default 4210), LOAD_CONNECTIONS (200),
# LOAD_STREAMS (1000). The sandbox's rate limits are off
# (SCANPORT_SANDBOX__RATE_LIMITS=false): with them, HSS allows 5 image
# list calls a minute and the load would measure the throttle instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/reliability"
DURATION="${1:-60}"
PORT="${LOAD_PORT:-4210}"
CONNECTIONS="${LOAD_CONNECTIONS:-200}"
STREAMS="${LOAD_STREAMS:-1000}"
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (Debian)"
  apt-get install -y wrk >/dev/null
fi

WORK="$(mktemp -d)"
SERVER_PID=""
HOLD_PID=""
cleanup() {
  [ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The release binary is shared with other scripts (Playwright, benchmarks):
# build or copy it under their lock, then run the copy.
flock /tmp/e2e.lock bash -c "cd '$ROOT' && { [ -x target/release/scanport ] || cargo build --locked --release -p scanport; } && cp target/release/scanport '$WORK/scanport'"
BIN="$WORK/scanport"

# Every stream and connection is a file descriptor, on both sides.
need=$((STREAMS + CONNECTIONS + 200))
[ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge "$need" ] || { echo "need $need open files, have $(ulimit -n)" >&2; exit 1; }

export SCANPORT_DATA_DIR="$WORK/data"
export SCANPORT_LISTEN="127.0.0.1:$PORT"
export SCANPORT_SANDBOX__RATE_LIMITS=false
# The embedded sandbox's /__sandbox/* controls want this in X-Sandbox-Token.
export SCANPORT_SANDBOX_CONTROL_TOKEN=load-test-control-token
export SCANPORT_LOG=info
export NO_COLOR=1

echo "load-test-password" | "$BIN" user add loadop --role operator >/dev/null
TOKEN="$("$BIN" token create --user loadop --label load 2>/dev/null | grep -E '^spt_' | head -1)"
[ -n "$TOKEN" ] || { echo "could not create a token" >&2; exit 1; }
export TOKEN ACCOUNT=sandbox-huawei

"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/server.log"; exit 1; }
SANDBOX="$(grep -oE 'endpoint=http://[0-9.:]+' "$WORK/server.log" | head -1 | cut -d= -f2)"
[ -n "$SANDBOX" ] || { echo "no sandbox endpoint in the log" >&2; exit 1; }

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
hub_calls() {
  curl -sf -H "X-Sandbox-Token: $SCANPORT_SANDBOX_CONTROL_TOKEN" "$SANDBOX/__sandbox/stats" |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("GET /v5/{project_id}/image/tasks", 0))'
}
RSS_START="$(rss_mb)"

echo "== opening $STREAMS live-update streams"
HOLD=$((DURATION + 10))
python3 "$HERE/sse_hold.py" 127.0.0.1 "$PORT" \
  "/api/v1/events/tasks?account=$ACCOUNT&type=image_scan" "$TOKEN" "$STREAMS" "$HOLD" \
  >"$WORK/streams.out" &
HOLD_PID=$!
for _ in $(seq 1 600); do
  grep -q '^ready' "$WORK/streams.out" && break
  sleep 0.1
done
grep -q '^ready' "$WORK/streams.out" || { echo "streams did not open" >&2; exit 1; }
RSS_STREAMS="$(rss_mb)"
HUB_BEFORE="$(hub_calls)"
HUB_T0=$(date +%s.%N)

echo "== load: $CONNECTIONS connections for ${DURATION}s"
wrk -t2 -c$((CONNECTIONS - 1)) -d"${DURATION}s" --timeout 10s -s "$HERE/reads.lua" \
  "http://127.0.0.1:$PORT" >"$WORK/reads.out" &
READS=$!
wrk -t1 -c1 -d"${DURATION}s" --timeout 10s -s "$HERE/launches.lua" \
  "http://127.0.0.1:$PORT" >"$WORK/launches.out" &
LAUNCHES=$!
wait "$READS" "$LAUNCHES"

HUB_AFTER="$(hub_calls)"
HUB_T1=$(date +%s.%N)
RSS_END="$(rss_mb)"
wait "$HOLD_PID"
HOLD_PID=""
STREAM_JSON="$(tail -1 "$WORK/streams.out")"
STATS="$(curl -sf -H "X-Sandbox-Token: $SCANPORT_SANDBOX_CONTROL_TOKEN" "$SANDBOX/__sandbox/stats")"

python3 - "$WORK/reads.out" "$WORK/launches.out" "$STREAM_JSON" "$STATS" <<PY
import json, sys
def result(path):
    for line in open(path):
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"no result in {path}: {open(path).read()}")
reads, launches = result(sys.argv[1]), result(sys.argv[2])
streams, stats = json.loads(sys.argv[3]), json.loads(sys.argv[4])
errors = lambda r: sum(v for k, v in r.items() if k.startswith("err_"))
secs = reads["duration_us"] / 1e6
total = reads["requests"] + launches["requests"]
hub_per_min = ($HUB_AFTER - $HUB_BEFORE) / (($HUB_T1 - $HUB_T0) / 60)
stream_errors = streams["streams"] - streams["held_to_end"]
print(f"requests        {total} in {secs:.0f} s = {total / secs:.0f} req/s "
      f"(reads {reads['requests']}, launches {launches['requests']})")
print(f"latency reads   p50 {reads['p50_us'] / 1000:.1f} ms, p99 {reads['p99_us'] / 1000:.1f} ms, "
      f"max {reads['max_us'] / 1000:.0f} ms")
print(f"latency launch  p50 {launches['p50_us'] / 1000:.1f} ms, p99 {launches['p99_us'] / 1000:.1f} ms")
print(f"errors          reads {errors(reads)}, launches {errors(launches)} "
      f"({ {k: v for k, v in reads.items() if k.startswith('err_') and v} or 'none'})")
print(f"streams         {streams['held_to_end']}/{streams['streams']} held to the end, "
      f"{streams['events']} events; failed {stream_errors} {streams}")
print(f"server RSS      {'$RSS_START'} MB at start, {'$RSS_STREAMS'} MB with the streams open, "
      f"{'$RSS_END'} MB at the end")
print(f"hub upstream    {hub_per_min:.1f} task-list calls/min ({$HUB_AFTER - $HUB_BEFORE} during the load)")
print(f"upstream total  {json.dumps(stats)}")
bad = errors(reads) + errors(launches) + stream_errors
print("RESULT:", "ok, 0 errors" if bad == 0 else f"{bad} errors")
sys.exit(1 if bad else 0)
PY
