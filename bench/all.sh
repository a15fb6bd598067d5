#!/usr/bin/env bash
# Runs every benchmark of issue 7 once (well under 10 minutes after the
# builds) and writes BENCHMARKS.md at the repository root: each figure, its
# budget, met or not, the machine and the date.
#
#   bench/all.sh
#   BENCH_NOTES="…" bench/all.sh     a paragraph of notes under the header
#   BENCH_SKIP="ssr lighthouse" bench/all.sh   names not to run this time
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started=$(date +%s)
bench_binary
export BENCH_SKIP_BUILD=1
LOGS="$WORK/all"
rm -rf "$LOGS"
mkdir -p "$LOGS"

# run NAME SCRIPT [ARGS]: its output in $LOGS/NAME.log; its last line (the
# summary) in SUMMARY[NAME], or "failed" / "timed out".
declare -A SUMMARY
run() {
  local name=$1 rc=0
  shift
  step "$name"
  # BENCH_SKIP="ssr lighthouse …": names not to run this time.
  if [[ " ${BENCH_SKIP:-} " == *" $name "* ]]; then
    SUMMARY[$name]="skipped"
    return
  fi
  timeout "${LIMIT:-600}" "$@" >"$LOGS/$name.log" 2>&1 || rc=$?
  case $rc in
    0) SUMMARY[$name]=$(tail -n 1 "$LOGS/$name.log") ;;
    124) SUMMARY[$name]="timed out" ;;
    *) SUMMARY[$name]="failed (exit $rc; $(grep -v '^\s*$' "$LOGS/$name.log" | tail -n 1))" ;;
  esac
  echo "${SUMMARY[$name]}" >&2
}
run signing bench/signing.sh
run ssr bench/ssr.sh
run proxy bench/proxy.sh
run fanout bench/fanout.sh
run replicas bench/replicas.sh
run startup bench/startup.sh
run size bench/size.sh
# It waits for the end-to-end lock; do not let it hold up the rest.
LIMIT=240 run lighthouse bench/lighthouse.sh
# Lighthouse asks for a second run when its own trace fails (NO_NAVSTART).
if [[ ${SUMMARY[lighthouse]} == failed* ]] && grep -q "run Lighthouse again" "$LOGS/lighthouse.log"; then
  LIMIT=240 run lighthouse bench/lighthouse.sh
fi

# field SUMMARY KEY: the value of KEY=… in a summary line.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# row FIGURE BUDGET-TEXT VALUE LIMIT [at-least]: a table row, met when
# VALUE <= LIMIT (VALUE >= LIMIT with "at-least").
row() {
  local verdict
  if [ "$3" = none ]; then
    verdict="NOT met"
  elif ! [[ "$3" =~ ^-?[0-9.]+$ ]]; then
    verdict="not measured"
  elif [ "${5:-}" = at-least ]; then
    verdict=$(met "$4" "$3")
  else
    verdict=$(met "$3" "$4")
  fi
  printf '| %s | %s | %s | %s |\n' "$1" "$2" "${3:-–}" "$verdict"
}
# The log lines worth reading, as a fenced block.
excerpt() {
  if [ ! -f "$LOGS/$1.log" ] || [ "${SUMMARY[$1]:-}" = skipped ]; then
    echo "(not run this time)"
    return
  fi
  echo '```'
  grep -v -E '^\s*$|^\x1b|Compiling|Finished|Running|Benchmarking|Warning|Gnuplot|Found [0-9]+ outliers|^ +[0-9]+ \(|change:|Performance has|No change|Change within' "$LOGS/$1.log" | tail -n "${2:-20}" || true
  echo '```'
}

s=${SUMMARY[signing]:-}; p=${SUMMARY[proxy]:-}; f=${SUMMARY[fanout]:-}
r=${SUMMARY[ssr]:-}; u=${SUMMARY[startup]:-}; m=${SUMMARY[replicas]:-}
z=${SUMMARY[size]:-}; l=${SUMMARY[lighthouse]:-}
polls_1=$(field "$f" polls_1); polls_n=$(field "$f" polls_n)
polls_gap=""
replica_gap=""
if [ -n "$(field "$m" calls_1)" ] && [ -n "$(field "$m" calls_3)" ]; then
  replica_gap=$(calc "$(field "$m" calls_3) - $(field "$m" calls_1)")
fi
if [ -n "$polls_1" ] && [ -n "$polls_n" ]; then polls_gap=$(calc "$polls_n - $polls_1"); fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/all.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes in the tree)')."
  echo "Machine: $(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB memory, $(uname -sr)."
  echo "Load average when it finished: $(cut -d' ' -f1-3 /proc/loadavg) (timings run at nice -20 where allowed)."
  if [ -n "${BENCH_NOTES:-}" ]; then
    echo
    echo "Notes: $BENCH_NOTES"
  fi
  echo
  echo "Each figure comes from its own script in \`bench/\` (runnable alone); the peers ran in the same run."
  echo
  echo "| figure | budget | measured | verdict |"
  echo "|---|---|---|---|"
  row "Signing, Huawei SDK-HMAC-SHA256 (µs, criterion median)" "≤ 2 µs" "$(field "$s" huawei_us)" 2
  row "Signing, Tencent TC3-HMAC-SHA256 (µs, criterion median)" "≤ 2 µs" "$(field "$s" tencent_us)" 2
  row "Server rendering, Tasks page with 200 tasks (µs, median)" "≤ 1000 µs" "$(field "$r" median_us)" 1000
  row "Proxy overhead at c=1 (ms added at p99 over direct)" "≤ 1 ms" "$(field "$p" c1_added_ms)" 1
  row "Proxy overhead at c=32 (ms added at p99 over direct)" "≤ 1 ms" "$(field "$p" c32_added_ms)" 1
  row "Live fan-out: polls/min with N streams minus with 1 (one poll per window is the resolution)" "0" "$polls_gap" "60 / ${WINDOW:-30}"
  row "Live fan-out: server memory per stream (KB)" "≤ 20 KB" "$(field "$f" kb_per_stream)" 20
  row "Live fan-out: p99 delivery after the poll, worst poll (ms)" "≤ 250 ms" "$(field "$f" p99_ms)" 250
  row "Replicas: upstream task-list calls/min, 200 viewers on 3 replicas minus on 1 (one call per 10 s window is the resolution)" "≤ 0" "$replica_gap" 6
  row "Start-up to first 200 on /readyz, fresh data dir (ms, median of 5)" "≤ 1000 ms" "$(field "$u" median_ms)" 1000
  row "First load of the Tasks page, JS + WASM (bytes brotli; lazy route chunks not counted)" "≤ 122,880" "$(field "$z" first_load_br)" 122880
  row "Lighthouse performance, desktop preset" "≥ 95" "$(field "$l" performance)" 95 at-least
  row "Lighthouse accessibility" "≥ 95" "$(field "$l" accessibility)" 95 at-least
  row "Lighthouse best practices" "≥ 95" "$(field "$l" best_practices)" 95 at-least
  row "Lighthouse LCP (s)" "≤ 1.2 s" "$(field "$l" lcp_s)" 1.2
  row "Lighthouse CLS" "≤ 0.02" "$(field "$l" cls)" 0.02
  echo
  echo "## Signing (\`bench/signing.sh\`)"
  echo "Peer: the same signatures in Python (hmac/hashlib, \`end2end/conformance/hand_signers.py\`)."
  excerpt signing 6
  echo
  echo "## Server rendering (\`bench/ssr.sh\`)"
  echo "Peer: \`/healthz\` through the same router and layers."
  excerpt ssr 6
  echo
  echo "## Proxy overhead (\`bench/proxy.sh\`)"
  echo "oha against the standalone sandbox directly (pre-signed), through nginx, through Scanport (\`POST /api/v1/hss/tasks\`, bearer token), and the official Python SDK making the same call."
  excerpt proxy 18
  echo
  echo "## Live fan-out (\`bench/fanout.sh\`)"
  excerpt fanout 30
  echo
  echo "## Replicas (\`bench/replicas.sh\`)"
  echo "200 viewers on one replica, then on three sharing one PostgreSQL; the cloud's task-list calls a minute."
  excerpt replicas 8
  echo
  echo "## Start-up (\`bench/startup.sh\`)"
  echo "Peer: Debian nginx, start to first 200."
  excerpt startup 8
  echo
  echo "## Size (\`bench/size.sh\`)"
  echo "The files the browser fetches for the Tasks page, as served (brotli)."
  excerpt size 12
  echo
  echo "## Where the bytes go (\`bench/wasm-bytes.py\`)"
  echo "Code and data per crate in the release WASM before wasm-opt and splitting (twiggy; function names and wasm-bindgen's metadata left out). Shares, not shipped bytes."
  echo
  (cd "$ROOT" && python3 bench/wasm-bytes.py) || echo "(needs twiggy: cargo install twiggy)"
  echo
  echo "## Lighthouse (\`bench/lighthouse.sh\`)"
  echo "npm lighthouse driving Debian Chromium, desktop preset, signed in, embedded sandbox."
  excerpt lighthouse 12
  echo
  echo "Whole run: $(( $(date +%s) - started )) s."
} >"$ROOT/BENCHMARKS.md"
step "wrote BENCHMARKS.md in $(( $(date +%s) - started )) s"
