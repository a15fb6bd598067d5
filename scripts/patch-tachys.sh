#!/usr/bin/env bash
# Builds vendor/tachys, the one framework crate Scanport patches, from the
# published crate and vendor/tachys.patch (why: vendor/PATCH.md). The crate
# is fetched as cargo fetches it and checked against crates.io's checksum;
# a patch that no longer applies fails here, loudly. Fast when up to date.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=0.2.19
# crates.io's checksum of tachys-0.2.19.crate (index.crates.io/ta/ch/tachys).
SHA256=e47e2220bb9d2a3be976a22a0fb7685a0b84499bb11ea5cb3bbc82907675ac68
PATCH="$ROOT/vendor/tachys.patch"
DEST="$ROOT/vendor/tachys"
STAMP="$DEST/.scanport-patch"

want="$VERSION $(sha256sum "$PATCH" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
crate="$work/tachys-$VERSION.crate"
# cargo's own download cache first (no network), else crates.io's CDN.
cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"tachys-$VERSION.crate" 2>/dev/null | head -n 1 || true)
if [ -n "$cached" ]; then
  cp "$cached" "$crate"
else
  curl -sSfL --retry 3 -o "$crate" "https://static.crates.io/crates/tachys/tachys-$VERSION.crate"
fi
echo "$SHA256  $crate" | sha256sum -c --quiet -
tar -xzf "$crate" -C "$work"
if ! (cd "$work/tachys-$VERSION" && git apply --whitespace=nowarn "$PATCH"); then
  echo "vendor/tachys.patch does not apply to tachys $VERSION: see vendor/PATCH.md" >&2
  exit 1
fi
echo "$want" >"$work/tachys-$VERSION/.scanport-patch"
rm -rf "$DEST"
mv "$work/tachys-$VERSION" "$DEST"
echo "vendor/tachys: tachys $VERSION + vendor/tachys.patch"
