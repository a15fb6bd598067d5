# Shared by the bench/*.sh scripts: the release binary, processes that are
# stopped on exit, waiting for a port, and arithmetic on figures.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
# The patched framework crate every cargo command here needs.
"$ROOT/scripts/patch-tachys.sh"
# Scratch space of one run: data dirs, configs, logs.
WORK=${BENCH_WORK:-/tmp/scanport-bench}
mkdir -p "$WORK"
# The binary the benchmarks run: a private copy of the release build, so a
# concurrent `cargo leptos build` cannot swap it mid-run.
BENCH_BIN="$WORK/scanport"
# Benchmark ports (4400-4499 are ours).
PORT_CONSOLE=4400
PORT_SANDBOX=4410
PORT_NGINX=4420

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Runs a command at the highest scheduling priority we may use: the
# machine is shared, and timings of a process that waits for a core measure
# the neighbours, not us.
prio() {
  if [ "$(id -u)" = 0 ]; then nice -n -20 "$@"; else "$@"; fi
}

# Builds the release server (under the lock every release build and
# end-to-end run shares) and copies it. BENCH_SKIP_BUILD=1 reuses the copy.
bench_binary() {
  if [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$BENCH_BIN" ]; then return; fi
  step "release build of the server (under /tmp/e2e.lock)"
  (cd "$ROOT" && flock /tmp/e2e.lock bash -c \
    'cargo build --locked --release -p scanport >&2 && cp target/release/scanport "$0"' "$BENCH_BIN.new")
  mv "$BENCH_BIN.new" "$BENCH_BIN"
}

PIDS=()
# Starts a command in the background, its output in $WORK/<name>.log; the
# pid is in $LAST_PID and the process is stopped on exit.
start_bg() {
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap stop_all EXIT

# Waits up to 30 s for a URL to answer (any status).
wait_http() {
  local url=$1 i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null "$url"; then return 0; fi
    sleep 0.1
  done
  echo "no answer from $url; logs in $WORK" >&2
  return 1
}

# Fails early when a port we need is taken.
need_free_port() {
  if ss -ltn "sport = :$1" | grep -q LISTEN; then
    echo "port $1 is in use" >&2
    return 1
  fi
}

# calc EXPR: floating-point arithmetic, 2 decimals.
calc() { awk "BEGIN { printf \"%.2f\", $* }"; }
# met FIGURE BUDGET: "met" when FIGURE <= BUDGET.
met() { awk "BEGIN { print (($1) <= ($2)) ? \"met\" : \"NOT met\" }"; }

# The canary credentials of the benchmark sandbox and console.
BENCH_AK=BENCHAK0000CANARY
BENCH_SK=bench-sk-Walrus-Heron-0xC0FFEE
BENCH_PROJECT=bench-project
BENCH_ACCOUNT=bench-huawei

# Writes a console config pointed at a standalone sandbox on $1 and
# listening on $2, to stdout.
console_config() {
  cat <<EOF
listen = "127.0.0.1:$2"
site_root = "$ROOT/target/site"

[live]
busy_secs = ${BENCH_BUSY_SECS:-12}

[[accounts]]
id = "$BENCH_ACCOUNT"
provider = "huawei"
region = "ap-southeast-1"
project_id = "$BENCH_PROJECT"
endpoint = "http://127.0.0.1:$1"
max_calls_per_minute = 6000000
EOF
}

# start_console NAME SANDBOX_PORT CONSOLE_PORT: a fresh data dir, a viewer
# and their API token (in $TOKEN), then the console (pid in $CONSOLE_PID).
start_console() {
  local name=$1 sandbox_port=$2 port=$3
  local dir="$WORK/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  console_config "$sandbox_port" "$port" >"$dir/scanport.toml"
  export SCANPORT_CONFIG="$dir/scanport.toml" SCANPORT_DATA_DIR="$dir/data"
  export CLOUD_SDK_AK=$BENCH_AK CLOUD_SDK_SK=$BENCH_SK
  printf 'bench-password-Lynx-42\n' | "$BENCH_BIN" user add bench --role viewer >/dev/null 2>&1
  TOKEN=$("$BENCH_BIN" token create --user bench --label bench 2>/dev/null)
  need_free_port "$port"
  SCANPORT_LOG=${SCANPORT_LOG:-warn} start_bg "$name" "$BENCH_BIN" serve
  CONSOLE_PID=$LAST_PID
  wait_http "http://127.0.0.1:$port/readyz"
}

# What the sandboxes the benches start want in X-Sandbox-Token on their
# /__sandbox/* controls (the fan-out bench reads their call counts).
export SCANPORT_SANDBOX_CONTROL_TOKEN=${SCANPORT_SANDBOX_CONTROL_TOKEN:-bench-control-token}

# start_sandbox NAME PORT: the standalone sandbox, no rate limits.
start_sandbox() {
  need_free_port "$2"
  SANDBOX_HUAWEI_AK=$BENCH_AK SANDBOX_HUAWEI_SK=$BENCH_SK SCANPORT_LOG=warn \
    start_bg "$1" "$BENCH_BIN" sandbox --listen "127.0.0.1:$2" --no-rate-limits \
    --pace-ms "${BENCH_PACE_MS:-3000}"
  SANDBOX_PID=$LAST_PID
  wait_http "http://127.0.0.1:$2/__sandbox/stats"
}
