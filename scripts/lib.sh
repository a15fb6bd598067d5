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
CARGO_MACHETE_VERSION=0.9.2
CARGO_DENY_VERSION=0.20.2

# Each step says how long the script has run and the disk left, so a slow
# step or a filling disk shows in the log.
step() {
  printf '\n\033[1m==> %s\033[0m (at %dm%02ds, %s free)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)) \
    "$(df -h --output=avail "$ROOT" 2>/dev/null | tail -1 | tr -d ' ')"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# rust-toolchain.toml pins a release. When the machine's stable toolchain is
# that release, it is registered under the pinned name too (a link, as
# `rustup toolchain link` refuses release names), so nothing is downloaded
# again; any other machine gets the release from rustup as usual.
ensure_pinned_toolchain() {
  local want host stable
  want=$(sed -n 's/^channel = "\(.*\)"$/\1/p' "$ROOT/rust-toolchain.toml")
  host=$(cd / && rustc -vV | sed -n 's/^host: //p')
  local home="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
  if [ -e "$home/$want-$host" ]; then return; fi
  stable=$(cd / && rustc +stable --version 2>/dev/null || true)
  if [[ "$stable" == "rustc $want "* ]]; then
    step "registering the installed stable Rust as $want (rust-toolchain.toml)"
    ln -s "$home/stable-$host" "$home/$want-$host"
  fi
}

ensure_build_tools() {
  ensure_pinned_toolchain
  # The patched framework crate the workspace's [patch.crates-io] points at.
  "$ROOT/scripts/patch-tachys.sh"
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
  # The fault tests run behind nginx, in front of two replicas.
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    step "installing nginx (Debian nginx-light)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  fi
  if ! cargo machete --version 2>/dev/null | grep -q "$CARGO_MACHETE_VERSION"; then
    step "installing cargo-machete $CARGO_MACHETE_VERSION (one-time, ~1 min)"
    cargo install cargo-machete --version "$CARGO_MACHETE_VERSION" --locked
  fi
  if ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
    step "installing cargo-deny $CARGO_DENY_VERSION (one-time, ~3 min)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
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

# PostgreSQL for the portal's tests (portal/tests): a throwaway cluster of
# its own, so the PostgreSQL half runs everywhere, CI included. A server of
# your own is used instead when SCANPORT_TEST_POSTGRES_URL is already set
# (its role must be allowed to CREATE DATABASE: each test makes its own).
TEST_PG_PORT=${TEST_PG_PORT:-55432}
# Where the running cluster lives, so a run that was killed before its
# trap ran has its server stopped by the next one.
TEST_PG_STATE="$ROOT/target/test-postgres.dir"

# The directory of initdb and pg_ctl: Debian keeps them off PATH, under
# /usr/lib/postgresql/<version>/bin.
pg_bin_dir() {
  local dir=""
  if command -v pg_ctl >/dev/null; then dir=$(dirname "$(readlink -f "$(command -v pg_ctl)")"); fi
  if [ ! -x "$dir/initdb" ]; then
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

ensure_postgres_tools() {
  if [ -z "${SCANPORT_TEST_POSTGRES_URL:-}" ] && ! pg_bin_dir >/dev/null; then
    step "installing PostgreSQL (Debian; the tests start a cluster of their own)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

# Runs a PostgreSQL program as the cluster's owner: the server and pg_ctl
# refuse to run as root, so root runs them as the Debian package's user
# (from /: it may not enter the checkout, e.g. one under /root).
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Starts the cluster (initdb in a fresh temp dir, loopback only, a random
# password), exports SCANPORT_TEST_POSTGRES_URL and stops it on exit.
start_test_postgres() {
  if [ -n "${SCANPORT_TEST_POSTGRES_URL:-}" ]; then
    step "PostgreSQL for tests: using SCANPORT_TEST_POSTGRES_URL as set"
    return
  fi
  local bin dir port password
  bin=$(pg_bin_dir) || { echo "PostgreSQL not found: run ensure_postgres_tools" >&2; return 1; }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "running as root but there is no 'postgres' user to run the server as" >&2
    return 1
  fi
  stop_test_postgres
  trap stop_test_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # Under /tmp, not target/: the postgres user must reach it, and the
  # socket path must fit in 107 bytes.
  dir=$(mktemp -d "${TMPDIR:-/tmp}/scanport-pg.XXXXXX")
  mkdir -p "$(dirname "$TEST_PG_STATE")"
  echo "$dir" >"$TEST_PG_STATE"
  port=$TEST_PG_PORT
  # A port held by a server that is not ours: take the next free one.
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  step "PostgreSQL for tests: $("$bin/postgres" --version), 127.0.0.1:$port"
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  echo "$password" >"$dir/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi
  if ! as_pg_owner "$bin/initdb" -D "$dir/data" -U scanport --pwfile="$dir/pwfile" -E UTF8 \
      --no-locale --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi
  rm -f "$dir/pwfile"
  # Durability off: a test cluster that is thrown away needs no fsync.
  if ! as_pg_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    cat "$dir/server.log" >&2
    return 1
  fi
  as_pg_owner "$bin/createdb" -h "$dir" -p "$port" -U scanport scanport_test
  export SCANPORT_TEST_POSTGRES_URL="postgres://scanport:$password@127.0.0.1:$port/scanport_test"
}

# Stops the cluster start_test_postgres started (or a killed run left) and
# deletes it. Safe to call when there is none.
stop_test_postgres() {
  local dir bin
  dir=$(cat "$TEST_PG_STATE" 2>/dev/null) || return 0
  case "$dir" in */scanport-pg.*) ;; *) rm -f "$TEST_PG_STATE"; return 0 ;; esac
  if [ -f "$dir/data/postmaster.pid" ] && bin=$(pg_bin_dir); then
    as_pg_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir" "$TEST_PG_STATE"
}

build_release() {
  step "building the console (release: server + size-optimised WASM)"
  # --precompress writes .br and .gz beside each file in target/site, which
  # the server sends to browsers that accept them (no compressing per request).
  # --split puts each lazy route (app/src/routes.rs) in its own WASM chunk.
  # Panic locations in the WASM name their source files. Without remapping
  # they carry the checkout's and cargo's absolute paths, so the bytes (and
  # the CI size check) differ from machine to machine; remapped they are
  # the same everywhere, and shorter. Only the WASM target gets these flags
  # (cargo-leptos appends its own to them), so the server build is untouched.
  local registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
  (cd "$ROOT" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$ROOT/= --remap-path-prefix=$registry/=" \
    cargo leptos build --release --precompress --split)
}
