#!/usr/bin/env bash
# Proxy-overhead budget (issue 7): a task-list call through Scanport's
# /api/v1/hss/tasks (token check, validation, signing, forwarding, parsing,
# answering) adds at most 1 ms at p99 over calling the sandbox directly, at
# concurrency 1 and 32. In the same run, the same sandbox call through
# Debian nginx as a reverse proxy, and made by the official Python SDK
# (huaweicloudsdkhss). Load by oha (installed with cargo if missing).
#
#   bench/proxy.sh        prints "PROXY c1_added_ms=… c32_added_ms=…" last
#   REQUESTS=2000 bench/proxy.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
BUDGET_MS=1
REQUESTS=${REQUESTS:-3000}
SDK_REQUESTS=${SDK_REQUESTS:-600}
bench_binary
if ! command -v oha >/dev/null; then
  step "installing oha (cargo)"
  cargo install oha --locked
fi
if ! command -v nginx >/dev/null; then
  step "installing nginx (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
python3 -c 'import huaweicloudsdkhss' 2>/dev/null ||
  python3 -m pip install -q -r end2end/conformance/requirements.txt

step "sandbox :$PORT_SANDBOX, console :$PORT_CONSOLE, nginx :$PORT_NGINX"
# A scan keeps running during the run, so the list is not trivially empty.
BENCH_PACE_MS=600000 start_sandbox proxy-sandbox "$PORT_SANDBOX"
start_console proxy-console "$PORT_SANDBOX" "$PORT_CONSOLE"
need_free_port "$PORT_NGINX"
mkdir -p "$WORK/nginx-proxy"
cat >"$WORK/nginx-proxy/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx-proxy/nginx.pid;
error_log $WORK/nginx-proxy/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-proxy;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-proxy;
  uwsgi_temp_path $WORK/nginx-proxy;
  scgi_temp_path $WORK/nginx-proxy;
  upstream sandbox { server 127.0.0.1:$PORT_SANDBOX; keepalive 64; }
  server {
    listen 127.0.0.1:$PORT_NGINX;
    location / {
      proxy_pass http://sandbox;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The signature covers Host: keep the sandbox's own.
      proxy_set_header Host 127.0.0.1:$PORT_SANDBOX;
    }
  }
}
CONF
start_bg nginx-proxy nginx -c "$WORK/nginx-proxy/nginx.conf"
wait_http "http://127.0.0.1:$PORT_NGINX/__sandbox/stats"

# One signed request, valid for the sandbox's 15-minute clock window (the
# whole run): the conformance suite's hand signer, checked against the
# official SDKs' vectors.
read -r SDK_DATE AUTHORIZATION < <(cd end2end/conformance && python3 - "$PORT_SANDBOX" \
  "$BENCH_AK" "$BENCH_SK" "$BENCH_PROJECT" <<'PY'
import datetime, sys
from hand_signers import huawei_sign, sdk_date
port, ak, sk, project = sys.argv[1:5]
date = sdk_date(datetime.datetime.now(datetime.timezone.utc))
headers = {"Content-Type": "application/json", "Host": f"127.0.0.1:{port}",
           "X-Sdk-Date": date, "X-Project-Id": project}
signed = huawei_sign(ak, sk, "GET", f"/v5/{project}/image/tasks", [("type", "image_scan")], headers)
print(date, signed.authorization)
PY
)
DIRECT_PATH="/v5/$BENCH_PROJECT/image/tasks?type=image_scan"
SIGNED=(-H "Content-Type: application/json" -H "X-Sdk-Date: $SDK_DATE"
  -H "X-Project-Id: $BENCH_PROJECT" -H "Authorization: $AUTHORIZATION")
BODY="{\"account\":\"$BENCH_ACCOUNT\",\"request\":{\"type\":\"image_scan\"}}"

# Every target answers 200 before it is timed.
check() {
  local code
  code=$(curl -s -o "$WORK/check.out" -w '%{http_code}' "$@")
  if [ "$code" != 200 ]; then
    echo "expected 200 from $*, got $code: $(head -c 300 "$WORK/check.out")" >&2
    exit 1
  fi
}
check "${SIGNED[@]}" "http://127.0.0.1:$PORT_SANDBOX$DIRECT_PATH"
check "${SIGNED[@]}" "http://127.0.0.1:$PORT_NGINX$DIRECT_PATH"
check -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$BODY" \
  "http://127.0.0.1:$PORT_CONSOLE/api/v1/hss/tasks"

# load NAME CONCURRENCY oha-args…: prints "p50_ms p99_ms", fails on any non-200.
load() {
  local name=$1 c=$2
  shift 2
  # Warm-up: connections and caches, not timed.
  oha --no-tui --output-format quiet -n 200 -c "$c" "$@" >/dev/null
  prio oha --no-tui --output-format json -n "$REQUESTS" -c "$c" "$@" >"$WORK/oha-$name-$c.json"
  python3 - "$WORK/oha-$name-$c.json" "$REQUESTS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
codes = r.get("statusCodeDistribution", {})
if codes.get("200", 0) != int(sys.argv[2]):
    raise SystemExit(f"{sys.argv[1]}: not all 200: {codes} {r.get('errorDistribution')}")
p = r["latencyPercentiles"]
print(f"{p['p50'] * 1000:.3f} {p['p99'] * 1000:.3f}")
PY
}

# The official Python SDK: the same call, timed per call, sequentially or
# from 32 threads (its own connection pool).
sdk() {
  (cd end2end/conformance && prio python3 - "$PORT_SANDBOX" "$BENCH_AK" "$BENCH_SK" \
    "$BENCH_PROJECT" "$1" "$SDK_REQUESTS" <<'PY'
import sys, time, warnings
from concurrent.futures import ThreadPoolExecutor
from harness import hss_client
from huaweicloudsdkhss.v5 import ListImageScanTaskRequest
port, ak, sk, project, c, n = sys.argv[1:7]
c, n = int(c), int(n)
client = hss_client(f"http://127.0.0.1:{port}", ak, sk, project_id=project)
def one(_):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client.list_image_scan_task(ListImageScanTaskRequest(type="image_scan"))
    return (time.perf_counter() - start) * 1000
for _ in range(50):
    one(0)
with ThreadPoolExecutor(max_workers=c) as pool:
    times = sorted(pool.map(one, range(n)))
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{pick(0.50):.3f} {pick(0.99):.3f}")
PY
  )
}

results=()
for c in 1 32; do
  step "concurrency $c: $REQUESTS requests each (Python SDK: $SDK_REQUESTS)"
  read -r d50 d99 < <(load direct "$c" "${SIGNED[@]}" "http://127.0.0.1:$PORT_SANDBOX$DIRECT_PATH")
  read -r n50 n99 < <(load nginx "$c" "${SIGNED[@]}" "http://127.0.0.1:$PORT_NGINX$DIRECT_PATH")
  read -r s50 s99 < <(load scanport "$c" -m POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$PORT_CONSOLE/api/v1/hss/tasks")
  read -r p50 p99 < <(sdk "$c")
  added=$(calc "$s99 - $d99")
  nginx_added=$(calc "$n99 - $d99")
  printf '%-22s %9s %9s\n' "c=$c" "p50 ms" "p99 ms"
  printf '%-22s %9s %9s\n' "sandbox direct" "$d50" "$d99"
  printf '%-22s %9s %9s\n' "nginx -> sandbox" "$n50" "$n99"
  printf '%-22s %9s %9s\n' "scanport -> sandbox" "$s50" "$s99"
  printf '%-22s %9s %9s\n' "python SDK -> sandbox" "$p50" "$p99"
  printf 'scanport adds %s ms at p99 (budget %s ms: %s); nginx adds %s ms\n' \
    "$added" "$BUDGET_MS" "$(met "$added" $BUDGET_MS)" "$nginx_added"
  printf 'scanport p99 / nginx p99 = %sx; scanport p99 / python SDK p99 = %sx\n' \
    "$(calc "$s99 / $n99")" "$(calc "$s99 / $p99")"
  results+=("c${c}_added_ms=$added c${c}_scanport_p99=$s99 c${c}_direct_p99=$d99 c${c}_nginx_p99=$n99 c${c}_sdk_p99=$p99")
done
echo "PROXY ${results[*]}"
