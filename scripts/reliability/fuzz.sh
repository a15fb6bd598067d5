#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a fixed time and prints, per
# target, the executions and the crashes found (goal: 0). On demand, not
# in CI: `scripts/reliability/fuzz.sh [seconds per target, default 60]`.
#
# cargo-fuzz needs nightly compiler flags; with no nightly toolchain the
# stable one is told to allow them (RUSTC_BOOTSTRAP=1). Crashing inputs
# are kept in fuzz/artifacts/TARGET/ and reproduce with
# `cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-…`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SECONDS_EACH="${1:-60}"
export PATH="$HOME/.cargo/bin:$PATH"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
  TOOLCHAIN=(+nightly)
else
  TOOLCHAIN=()
  export RUSTC_BOOTSTRAP=1
fi
# AddressSanitizer needs nightly's sanitizer runtime; without it, plain
# libFuzzer still finds panics and overflows (debug assertions are on).
SANITIZER=(-s none)
[ ${#TOOLCHAIN[@]} -gt 0 ] && SANITIZER=(-s address)

cd fuzz
TARGETS=$(cargo "${TOOLCHAIN[@]}" fuzz list)
echo "== building: $(echo $TARGETS)"
cargo "${TOOLCHAIN[@]}" fuzz build "${SANITIZER[@]}" --debug-assertions >/dev/null

printf '%-16s %12s %10s %8s\n' target execs exec/s crashes
failed=0
for target in $TARGETS; do
  log=$(mktemp)
  mkdir -p "corpus/$target" "artifacts/$target"
  set +e
  # Hand-written seeds (fuzz/seeds/TARGET) start the search from real inputs.
  seeds=()
  [ -d "seeds/$target" ] && seeds=("seeds/$target")
  cargo "${TOOLCHAIN[@]}" fuzz run "${SANITIZER[@]}" --debug-assertions "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  crashes=$(find "artifacts/$target" -type f -newer "$log" | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  printf '%-16s %12s %10s %8s\n' "$target" "${execs:-?}" "${rate:-?}" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    failed=1
    grep -m5 -E 'panicked|ERROR|SUMMARY' "$log" | sed 's/^/    /' || true
    find "artifacts/$target" -type f -newer "$log" | sed 's/^/    input: fuzz\//'
  fi
  rm -f "$log"
done
exit "$failed"
