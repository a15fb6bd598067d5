#!/usr/bin/env bash
# Lighthouse budget (issue 7): the Tasks page of a release build against
# the embedded sandbox, desktop preset, Debian Chromium, signed in.
# Prints the performance, accessibility and best-practices scores, LCP and
# CLS against their budgets (95 / 95 / 95, 1.2 s, 0.02); "LIGHTHOUSE …" last.
#
#   bench/lighthouse.sh            uses target/release/scanport and target/site as built
#   bench/lighthouse.sh --build    runs the release build first
#
# The release binary and target/site are shared: this takes /tmp/e2e.lock
# for the whole run (set BENCH_LOCK_HELD=1 when the caller holds it).
# Environment: LIGHTHOUSE_PORT (default 4310), CHROME_PATH (/usr/bin/chromium),
# LIGHTHOUSE_REPORT (where the JSON report goes), SCANPORT_BIN and
# SCANPORT_SITE_ROOT (another build than target/'s).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
LIGHTHOUSE_VERSION=12.8.2 # 13.x needs Node 22; Debian's is 20
PORT=${LIGHTHOUSE_PORT:-4310}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
REPORT=${LIGHTHOUSE_REPORT:-$ROOT/target/lighthouse-tasks.json}
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ "${BENCH_LOCK_HELD:-0}" != 1 ]; then
  exec env BENCH_LOCK_HELD=1 flock /tmp/e2e.lock "$0" "$@"
fi

build=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

if ! lighthouse --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
  echo "installing lighthouse $LIGHTHOUSE_VERSION (npm, into .tools)" >&2
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --no-audit --no-fund --silent "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null)
fi
if [ ! -x "$CHROME_PATH" ]; then
  echo "no Chromium at $CHROME_PATH (scripts/test.sh installs Debian's)" >&2
  exit 2
fi
if [ "$build" = 1 ]; then
  # shellcheck source=../scripts/lib.sh
  source "$ROOT/scripts/lib.sh"
  ensure_build_tools && build_release
fi
BIN=${SCANPORT_BIN:-$ROOT/target/release/scanport}
[ -x "$BIN" ] || { echo "no $BIN: run with --build" >&2; exit 2; }

# A console of its own: fresh database, embedded sandbox, one operator.
work=$(mktemp -d "${TMPDIR:-/tmp}/scanport-lighthouse.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export SCANPORT_DATA_DIR="$work/data" SCANPORT_LISTEN="127.0.0.1:$PORT" \
  SCANPORT_SITE_ROOT="${SCANPORT_SITE_ROOT:-$ROOT/target/site}" SCANPORT_LOG=warn
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" | "$BIN" user add lighthouse --role operator >/dev/null
"$BIN" serve >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

# Sign in as a browser would; Lighthouse sends the session cookie on
# every request.
cookie=$(curl -sS -o /dev/null -D - -H "Origin: $base" \
  --data-urlencode name=lighthouse --data-urlencode "password=$password" \
  --data-urlencode next=/tasks "$base/login" |
  tr -d '\r' | awk -F'[:;] *' 'tolower($1) == "set-cookie" { print $2; exit }')
[ -n "$cookie" ] || { echo "sign-in gave no session cookie" >&2; exit 1; }
# Warm the task snapshot, so the audit measures the page, not the first
# upstream poll.
curl -fsS -o /dev/null -H "Cookie: $cookie" "$base/tasks"

lighthouse "$base/tasks" --preset=desktop --quiet \
  --chrome-flags="--headless=new --no-sandbox" \
  --extra-headers="{\"Cookie\": \"$cookie\"}" \
  --only-categories=performance,accessibility,best-practices \
  --output=json --output-path="$REPORT"

python3 - "$REPORT" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
cats, audits = report["categories"], report["audits"]
final = report.get("finalDisplayedUrl") or report.get("finalUrl")
if not final.rstrip("/").endswith("/tasks"):
    sys.exit(f"Lighthouse ended on {final}, not the Tasks page: was the session refused?")
rows = [
    ("performance", cats["performance"]["score"] * 100, ">=", 95, "{:.0f}"),
    ("accessibility", cats["accessibility"]["score"] * 100, ">=", 95, "{:.0f}"),
    ("best-practices", cats["best-practices"]["score"] * 100, ">=", 95, "{:.0f}"),
    ("LCP (s)", audits["largest-contentful-paint"]["numericValue"] / 1000, "<=", 1.2, "{:.2f}"),
    ("CLS", audits["cumulative-layout-shift"]["numericValue"], "<=", 0.02, "{:.3f}"),
]
for name, value, op, budget, fmt in rows:
    ok = value >= budget if op == ">=" else value <= budget
    print(f"{name:<15} {fmt.format(value):>6}   budget {op} {budget}   {'ok' if ok else 'OVER'}")
# What keeps a score below 100: the audits that failed, by category.
for key in ("accessibility", "best-practices", "performance"):
    failed = [
        ref["id"] for ref in cats[key]["auditRefs"]
        if ref.get("weight", 0) > 0 and (audits[ref["id"]].get("score") is not None)
        and audits[ref["id"]]["score"] < 0.9
    ]
    if failed:
        print(f"  {key}: below 0.9 on {', '.join(failed)}")
print(f"report: {sys.argv[1]}")
# The summary line bench/all.sh reads.
values = {name: fmt.format(value) for name, value, _, _, fmt in rows}
print(
    f"LIGHTHOUSE performance={values['performance']} accessibility={values['accessibility']}"
    f" best_practices={values['best-practices']} lcp_s={values['LCP (s)']} cls={values['CLS']}"
)
EOF
