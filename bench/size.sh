#!/usr/bin/env bash
# Bytes budget (issue 7): the JS + WASM the browser fetches on first load of
# the Tasks page, raw / gzip / brotli, against the 120 KiB brotli budget.
#
#   bench/size.sh            measure target/site/pkg as the last release build left it
#                            (prints "SIZE first_load_br=… lazy_br=…" last)
#   bench/size.sh --build    run `cargo leptos build --release --precompress --split` first
#   bench/size.sh --check    also exit 1 when brotli JS + WASM exceeds LIMIT_BYTES
#
# Lazy route chunks (cargo-leptos split) are listed apart: they are not part
# of the first load.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PKG="$ROOT/target/site/pkg"
BUDGET_BYTES=$((120 * 1024))
# Ratchet: what CI enforces. Equal to the budget once the budget is met;
# until then, the figure reached plus ~5% (about 565,000 bytes on
# 2026-11-23, routes not split), so the bundle cannot grow back unnoticed.
# Raised from 580 KiB when the three languages (leptos_i18n) came in:
# 689,952 bytes measured with them (+~125 KB), plus ~5%. Raised again when
# the Tasks, admin and schedule pages were translated (419 keys × 3
# languages compiled in): 773,954 bytes, plus ~3%. Lowered when the patched
# tachys (vendor/PATCH.md) dropped the unused async hydration path
# and translations stopped being reactive: 549,547 bytes, plus ~5%. Lowered
# again when every page but Tasks became a lazy route (its own chunk,
# fetched when first shown): 334,183 bytes, plus ~5%. Raised to 350 KiB
# when the Tasks page learned TCSS accounts (live scan progress, stop) and
# the build began remapping source paths: CI had measured 432 bytes more
# than this machine (absolute paths in panic locations differ between
# machines); remapped, the bytes are the same everywhere: 353,671, plus
# ~1.3%. Issue 24's cuts (per-language strings loaded on demand) bring it down.
LIMIT_BYTES=${SCANPORT_SIZE_LIMIT:-$((350 * 1024))}

build=0
check=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --check) check=1 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

if ! command -v brotli >/dev/null; then
  echo "installing the brotli CLI (Debian)" >&2
  if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null
fi

if [ "$build" = 1 ]; then
  # target/site is shared with the end-to-end runs: build under their lock
  # (set BENCH_LOCK_HELD=1 when the caller holds it).
  if [ "${BENCH_LOCK_HELD:-0}" != 1 ]; then
    exec env BENCH_LOCK_HELD=1 flock /tmp/e2e.lock "$0" "$@"
  fi
  # lib.sh puts cargo's and .tools' binaries on PATH.
  # shellcheck source=../scripts/lib.sh
  source "$ROOT/scripts/lib.sh"
  ensure_build_tools && build_release
fi

# The entry files HydrationScripts loads: scanport.js / scanport.wasm, or
# their hashed names (scanport.<hash>.js) when file hashing is on.
entry() { # $1 = extension
  find "$PKG" -maxdepth 1 -type f \( -name "scanport.$1" -o -name "scanport.*.$1" \) \
    ! -name '*.d.ts' | head -n 1
}
js=$(entry js)
wasm=$(entry wasm)
if [ -z "$js" ] || [ -z "$wasm" ]; then
  echo "no scanport JS/WASM in $PKG: run 'cargo leptos build --release --split' or pass --build" >&2
  exit 2
fi
# With split routes, the entry JS imports the chunk loader at once.
loader=$(find "$PKG" -maxdepth 1 -type f -name '__wasm_split.*js' | head -n 1)

# Same settings as the precompressed files served: brotli quality 11,
# window 22 (cargo-leptos's encoder defaults); gzip level 9.
sizes() { # file -> "raw gzip brotli"
  printf '%s %s %s' "$(stat -c %s "$1")" "$(gzip -9 -c "$1" | wc -c)" \
    "$(brotli -q 11 -w 22 -c "$1" | wc -c)"
}
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

read -r js_raw js_gz js_br <<<"$(sizes "$js")"
read -r wasm_raw wasm_gz wasm_br <<<"$(sizes "$wasm")"
loader_raw=0 loader_gz=0 loader_br=0
if [ -n "$loader" ]; then read -r loader_raw loader_gz loader_br <<<"$(sizes "$loader")"; fi
total_raw=$((js_raw + wasm_raw + loader_raw))
total_gz=$((js_gz + wasm_gz + loader_gz))
total_br=$((js_br + wasm_br + loader_br))

printf '%-8s %12s %12s %12s   %s\n' "" raw gzip brotli file
printf '%-8s %12d %12d %12d   %s\n' JS "$js_raw" "$js_gz" "$js_br" "${js#"$ROOT"/}"
printf '%-8s %12d %12d %12d   %s\n' WASM "$wasm_raw" "$wasm_gz" "$wasm_br" "${wasm#"$ROOT"/}"
if [ -n "$loader" ]; then
  printf '%-8s %12d %12d %12d   %s\n' loader "$loader_raw" "$loader_gz" "$loader_br" "${loader#"$ROOT"/}"
fi
printf '%-8s %12d %12d %12d\n' total "$total_raw" "$total_gz" "$total_br"

# Lazily loaded chunks, if routes are split: fetched on navigation only.
mapfile -t chunks < <(find "$PKG" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' \) \
  ! -path "$js" ! -path "$wasm" ! -path "${loader:-/none}" | sort)
lazy_br=0
if [ "${#chunks[@]}" -gt 0 ]; then
  for chunk in "${chunks[@]}"; do
    read -r _ _ br <<<"$(sizes "$chunk")"
    lazy_br=$((lazy_br + br))
  done
  printf 'lazy chunks: %d files, %d bytes brotli (not in the first load)\n' "${#chunks[@]}" "$lazy_br"
fi

printf 'first load JS + WASM: %d bytes brotli (%s) = %.2fx the %s budget\n' \
  "$total_br" "$(kib "$total_br")" "$(awk -v a="$total_br" -v b="$BUDGET_BYTES" 'BEGIN { print a / b }')" \
  "$(kib "$BUDGET_BYTES")"

if [ "$check" = 1 ]; then
  # The server sends these copies; without them browsers get the raw bytes.
  for file in "$js" "$wasm"; do
    if [ ! -f "$file.br" ] || [ ! -f "$file.gz" ]; then
      echo "FAIL: no precompressed copies of ${file#"$ROOT"/} (build with --precompress)" >&2
      exit 1
    fi
  done
  printf 'size check: limit %d bytes (%s), budget %d bytes (%s)\n' \
    "$LIMIT_BYTES" "$(kib "$LIMIT_BYTES")" "$BUDGET_BYTES" "$(kib "$BUDGET_BYTES")"
  if [ "$total_br" -gt "$LIMIT_BYTES" ]; then
    echo "FAIL: JS + WASM brotli is $total_br bytes, over the $LIMIT_BYTES-byte limit" >&2
    exit 1
  fi
  echo "ok: within the limit"
fi
# The summary line bench/all.sh reads.
echo "SIZE first_load_br=$total_br lazy_br=$lazy_br"
