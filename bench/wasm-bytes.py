#!/usr/bin/env python3
"""Where the browser build's bytes go: code size per crate in the release
WASM before wasm-opt and splitting (names kept), from `twiggy top -f csv`.
Usage: bench/wasm-bytes.py [WASM] (default: the last release build's).
Needs twiggy (`cargo install twiggy`). The shipped files are smaller
(wasm-opt, brotli) and split into chunks; the shares are what matter."""
import collections, csv, os, re, subprocess, sys

wasm = sys.argv[1] if len(sys.argv) > 1 else \
    "target/front/wasm32-unknown-unknown/wasm-release/scanport_frontend_split.wasm"
twiggy = os.path.expanduser("~/.cargo/bin/twiggy")
out = subprocess.run([twiggy if os.path.exists(twiggy) else "twiggy", "top", "-f", "csv",
                      "-n", "10000000", wasm], check=True, capture_output=True, text=True).stdout
crate = re.compile(r"([a-z_][a-z0-9_]*)::")
sizes = collections.Counter()
for row in csv.DictReader(out.splitlines()):
    name, size = row["Name"], int(row["ShallowSize"])
    if name.startswith(('"', "custom section", "...", "Σ")):
        continue  # names and wasm-bindgen's metadata: not shipped
    if name.startswith("data segment"):
        sizes["(static data)"] += size
        continue
    # The crate of the implementing type in `<T as Trait>::f`, else the first.
    found = crate.findall(name.lstrip("<&*"))
    sizes[found[0] if found else "(unnamed)"] += size
total = sum(sizes.values())
print(f"| crate | bytes | share |\n|---|---:|---:|")
for name, size in sizes.most_common(25):
    print(f"| {name} | {size:,} | {100 * size / total:.1f}% |")
print(f"| all code and data | {total:,} | 100% |")
