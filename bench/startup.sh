#!/usr/bin/env bash
# Start-up budget (issue 7): ready to serve within 1 s of launch, database
# migrations included: from process start to the first 200 on /readyz,
# each run on a fresh data dir (so the SQLite database is created and
# migrated), median of 5. Peer: Debian nginx, from start to its first 200,
# measured the same way.
#
#   bench/startup.sh      prints "STARTUP median_ms=… nginx_ms=…" last
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
BUDGET_MS=1000
RUNS=5
PORT=$((PORT_CONSOLE + 40))
NGINX_PORT=$((PORT_NGINX + 40))
bench_binary
if ! command -v nginx >/dev/null; then
  step "installing nginx (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
need_free_port "$PORT"
need_free_port "$NGINX_PORT"

mkdir -p "$WORK/nginx-startup"
cat >"$WORK/nginx-startup/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx-startup/nginx.pid;
error_log $WORK/nginx-startup/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-startup;
  proxy_temp_path $WORK/nginx-startup;
  fastcgi_temp_path $WORK/nginx-startup;
  uwsgi_temp_path $WORK/nginx-startup;
  scgi_temp_path $WORK/nginx-startup;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ready"; } }
}
CONF

step "start-up: $RUNS runs each, fresh data dir every time"
# A Python timer: starts the process, polls every millisecond, stops it.
result=$(prio python3 - "$BENCH_BIN" "$WORK" "$PORT" "$NGINX_PORT" "$RUNS" <<'PY'
import http.client, os, shutil, statistics, subprocess, sys, time
binary, work, port, nginx_port, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

def time_to_200(cmd, env, port, path):
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - start < 30:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return (time.monotonic() - start) * 1000
            except OSError:
                pass
            time.sleep(0.001)
        raise SystemExit(f"{cmd[0]} was not ready within 30 s")
    finally:
        proc.terminate()
        proc.wait()

scanport, nginx = [], []
for i in range(runs):
    data = os.path.join(work, "startup-data")
    shutil.rmtree(data, ignore_errors=True)
    env = dict(os.environ, SCANPORT_LISTEN=f"127.0.0.1:{port}", SCANPORT_DATA_DIR=data,
               SCANPORT_LOG="warn")
    env.pop("SCANPORT_CONFIG", None)
    scanport.append(time_to_200([binary, "serve"], env, port, "/readyz"))
    nginx.append(time_to_200(["nginx", "-c", os.path.join(work, "nginx-startup", "nginx.conf")],
                             dict(os.environ), nginx_port, "/"))
    print(f"run {i + 1}: scanport {scanport[-1]:.1f} ms, nginx {nginx[-1]:.1f} ms", file=sys.stderr)
print(f"{statistics.median(scanport):.1f} {statistics.median(nginx):.1f}")
PY)
read -r median nginx_ms <<<"$result"
printf '\nscanport median %s ms (budget %s ms: %s), nginx %s ms, ratio %sx\n' \
  "$median" "$BUDGET_MS" "$(met "$median" $BUDGET_MS)" "$nginx_ms" "$(calc "$median / $nginx_ms")"
echo "STARTUP median_ms=$median nginx_ms=$nginx_ms"
