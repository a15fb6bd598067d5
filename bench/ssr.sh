#!/usr/bin/env bash
# Server-rendering budgets: the Tasks page with 200 tasks in the snapshot
# renders in at most 1 ms median server time (issue 7); an image page with
# 500 vulnerabilities in the findings cache in at most 2 ms, and the Overview
# with 10 accounts in at most 2 ms too (issue 20). Criterion bench
# server/benches/ssr_tasks.rs: the whole router in-process (security layers,
# token check, Leptos SSR), no upstream on the timed path, no socket.
# Peer: the same router answering /healthz (the cost of the layers alone),
# so the ratio is what the page itself costs.
#
#   bench/ssr.sh          prints "SSR median_us=… healthz_us=…" last
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
BUDGET_US=1000
IMAGE_BUDGET_US=2000

step "criterion: server/benches/ssr_tasks.rs"
out=$(prio cargo bench --locked -p scanport --features scanport-app/ssr --bench ssr_tasks -- \
  --warm-up-time 2 --measurement-time 5 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E 'page:|time:' >&2
median_us() {
  echo "$out" | awk -v name="$1" '
    $1 == name && /time:/ {
      v = $5; u = $6
      if (u == "ns") v /= 1000; else if (u == "ms") v *= 1000
      printf "%.1f", v
    }'
}
page=$(median_us ssr_tasks_200)
healthz=$(median_us ssr_healthz)
image=$(median_us ssr_image_500)
overview=$(median_us ssr_overview_10)
printf '\nTasks page, 200 tasks: median %s µs (budget %s µs: %s); /healthz through the same layers %s µs (page = %sx)\n' \
  "$page" "$BUDGET_US" "$(met "$page" $BUDGET_US)" "$healthz" "$(calc "$page / $healthz")"
printf 'Image page, 500 vulnerabilities (cached): median %s µs (budget %s µs: %s)\n' \
  "$image" "$IMAGE_BUDGET_US" "$(met "$image" $IMAGE_BUDGET_US)"
printf 'Overview, 10 accounts: median %s µs (budget %s µs: %s)\n' \
  "$overview" "$IMAGE_BUDGET_US" "$(met "$overview" $IMAGE_BUDGET_US)"
echo "SSR median_us=$page healthz_us=$healthz image_us=$image overview_us=$overview"
