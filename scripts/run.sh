#!/usr/bin/env bash
# Sets up what is missing, builds, and serves the console on
# http://127.0.0.1:3000 (against the embedded sandbox unless a config with
# accounts is given through SCANPORT_CONFIG or --config).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_tools
build_release
step "serving on http://127.0.0.1:3000 (Ctrl-C stops)"
cd "$ROOT"
exec "$ROOT/target/release/scanport" "$@"
