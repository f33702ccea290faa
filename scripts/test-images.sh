#!/usr/bin/env bash
# test-images.sh: builds (once) the real images the integration tests scan,
# with the scripts in ../shared/tools: Debian bookworm and bullseye
# (debootstrap + umoci + skopeo: OCI layout, OCI archive, zstd OCI archive,
# docker-archive, 3-layer image with whiteouts) and the Alpine-like image.
# Cached in $HULL_TEST_CACHE (default /var/cache/hull-test); a second run
# is a quick no-op. Serialised with flock, so parallel callers wait.
# Exit 0 when the images are there, 77 when they cannot be built here
# (not root, or no ../shared/tools), 1 on a build failure.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
tools=${HULL_SHARED:-$src/../shared}/tools
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}

if [[ ! -x $tools/mk-debian-image.sh ]]; then
  echo "test-images: $tools/mk-debian-image.sh not found; skipping" >&2; exit 77
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "test-images: building images needs root (debootstrap); skipping" >&2; exit 77
fi
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
for rel in ${HULL_TEST_RELEASES:-bookworm bullseye}; do
  if [[ ! -f $cache/img/$rel/SUMMARY.txt ]]; then
    echo "test-images: building $rel (a few minutes, once)" >&2
    "$tools/mk-debian-image.sh" "$rel" "$cache/img" >"$cache/mk-$rel.log" 2>&1 ||
      { tail -20 "$cache/mk-$rel.log" >&2; exit 1; }
  fi
done
if [[ ! -f $cache/img/alpine-fake/.done ]]; then
  "$tools/mk-fake-alpine-image.sh" "$cache/img" >"$cache/mk-alpine.log" 2>&1 ||
    { tail -20 "$cache/mk-alpine.log" >&2; exit 1; }
fi
