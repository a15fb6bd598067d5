#!/usr/bin/env bash
# Sets up what tests need and runs every test: format, lints for each feature
# set on its own (ssr and hydrate are never built together), unit and
# integration tests, then the Playwright suite in Chromium against fresh
# servers.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started=$(date +%s)
ensure_build_tools
ensure_test_tools
ensure_conformance_tools
ensure_postgres_tools

SERVER_CRATES=(-p scanport-wire -p scanport-cloud -p scanport-sandbox -p scanport-portal -p scanport-app -p scanport)

step "format"
cargo fmt --all -- --check

step "unused dependencies (cargo machete)"
cargo machete

step "clippy: server build (ssr)"
cargo clippy --locked "${SERVER_CRATES[@]}" --all-targets --features scanport-app/ssr -- -D warnings

step "clippy: browser build (hydrate, wasm32)"
cargo clippy --locked -p scanport-frontend -p scanport-app --target wasm32-unknown-unknown \
  --features scanport-app/hydrate -- -D warnings

# Licences, sources and duplicate versions of every crate both builds use
# (deny.toml). Offline: the crates are fetched by now, and the advisory
# database lives on GitHub, out of this CI's reach.
step "dependency policy (cargo deny: bans, licenses, sources)"
cargo deny --offline check bans licenses sources

# The portal's store tests run on SQLite and on this PostgreSQL (stopped on
# exit); they fail rather than skip if it does not answer.
start_test_postgres

# Every call Scanport's clients make to a sandbox during the Rust tests is
# recorded here, then held against the official SDKs' models (conformance).
export SCANPORT_SANDBOX_RECORD="$ROOT/target/sandbox-requests.jsonl"
rm -f "$SCANPORT_SANDBOX_RECORD"

step "unit and integration tests: server build (ssr), portal on SQLite and PostgreSQL"
SCANPORT_SHARED_DIR="${SCANPORT_SHARED_DIR:-$ROOT/../shared}" \
  cargo test --locked "${SERVER_CRATES[@]}" --features scanport-app/ssr

# Nothing below uses the test build; on CI's small disk the release build
# needs its room.
if [ -n "${CI:-}" ]; then rm -rf "$ROOT/target/debug"; fi

# The browser build's unit tests would be these same tests again: no test is
# browser-only, and the browser-only code calls JavaScript, which a native
# test cannot. Clippy checks that build above; Playwright runs it below.

build_release

step "size check: first-load JS + WASM, brotli (bench/size.sh)"
bench/size.sh --check

step "package: the release tarball runs from any directory and backs up (scripts/package.sh)"
scripts/package.sh --no-build --check

step "conformance: the official Python SDKs (HSS, TCSS) against the sandbox, and every request recorded above against their models"
python3 -m pytest -q end2end/conformance
unset SCANPORT_SANDBOX_RECORD

step "end-to-end: Playwright in Chromium, hydrated and with JavaScript off"
(cd end2end && npx playwright test)

step "all tests passed in $(( $(date +%s) - started ))s"
