#!/usr/bin/env bash
# Makes the release tarball target/package/scanport-VERSION-linux-ARCH.tar.gz:
# the binary (stripped), the site it serves, hash.txt, the systemd unit and
# an example config. Unpacked anywhere, it runs from any directory (the
# binary finds site/ and hash.txt beside itself).
#
#   scripts/package.sh              build the release, then package it
#   scripts/package.sh --no-build   package the release already built
#   scripts/package.sh --check      also unpack it in a temporary folder and
#                                   use it as an admin would (see check_package)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

build=true
check=false
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --check) check=true ;;
    *) echo "usage: scripts/package.sh [--no-build] [--check]" >&2; exit 2 ;;
  esac
done

if $build; then
  ensure_build_tools
  build_release
fi

version=$(target/release/scanport --version | awk '{print $2}')
name="scanport-$version-linux-$(uname -m)"
out="$ROOT/target/package"
stage="$out/$name"
step "packaging $name"
rm -rf "$stage" "$out/$name.tar.gz"
mkdir -p "$stage"
cp target/release/scanport target/release/hash.txt "$stage/"
strip "$stage/scanport"
cp -r target/site "$stage/site"
cp deploy/scanport.service deploy/scanport.example.toml README.md "$stage/"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
rm -rf "$stage"
echo "$out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))"

# Unpacks the tarball in a temporary folder and, from another folder, as an
# admin would: adds a user, serves (embedded sandbox) until /readyz answers,
# checks that the page names the hashed bundle and that the bundle is
# served, backs the database up while it runs, and reads the user back
# from the backup.
check_package() {
  local tmp port pid="" base page js
  tmp=$(mktemp -d)
  trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' RETURN
  tar -xzf "$out/$name.tar.gz" -C "$tmp"
  mkdir -p "$tmp/elsewhere" && cd "$tmp/elsewhere"
  local bin="$tmp/$name/scanport"
  export SCANPORT_DATA_DIR="$tmp/data"
  echo 'package check password' | "$bin" user add admin --role admin >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  SCANPORT_LISTEN="127.0.0.1:$port" "$bin" serve >"$tmp/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$base/readyz" >/dev/null || { cat "$tmp/serve.log"; echo "package: /readyz never answered" >&2; return 1; }
  page=$(curl -fsS "$base/login")
  js=$(grep -o '/pkg/scanport\.[A-Za-z0-9_-]*\.js' <<<"$page" | head -1)
  [ -n "$js" ] || { echo "package: the sign-in page names no hashed bundle" >&2; return 1; }
  curl -fsS -o /dev/null "$base$js" || { echo "package: $js is not served" >&2; return 1; }
  "$bin" backup "$tmp/backup.db" >/dev/null
  mkdir -m 700 "$tmp/restored" && mv "$tmp/backup.db" "$tmp/restored/scanport.db"
  SCANPORT_DATA_DIR="$tmp/restored" "$bin" user list | grep -q '^admin' \
    || { echo "package: the backup does not hold the admin" >&2; return 1; }
  echo "package check: runs from any directory, serves $js, backs up while serving"
}

if $check; then
  check_package
fi
