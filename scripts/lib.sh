# Shared by run.sh and test.sh: installs what is missing, skips what is there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
# closed); it finds wasm-bindgen and wasm-opt on PATH.

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION=132.0.0       # Debian's binaryen is too old for this wasm-opt use
PLAYWRIGHT_VERSION=1.65.1

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # Debug builds of the two tools: they install in half the time and their
  # own speed does not matter (the heavy lifting is rustc and wasm-opt).
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (one-time, ~10 min on 2 cores)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --debug
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (one-time)"
    # Not --locked: its published lockfile pins a webpki-roots release the
    # registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --debug
  fi
  if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
    step "installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >/dev/null)
  fi
}

ensure_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium (Debian)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    step "installing Playwright (npm; browsers are not downloaded)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

ensure_conformance_tools() {
  # The official cloud SDKs (pinned) that the sandbox must satisfy.
  if ! python3 -m pip install -q --disable-pip-version-check \
      -r "$ROOT/end2end/conformance/requirements.txt" >/dev/null 2>&1; then
    python3 -m pip install --disable-pip-version-check -r "$ROOT/end2end/conformance/requirements.txt"
  fi
}

build_release() {
  step "building the console (release: server + size-optimised WASM)"
  (cd "$ROOT" && cargo leptos build --release)
}
