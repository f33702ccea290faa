#!/usr/bin/env bash
# bench/inflate.sh: the library choice for layer decompression and hashing,
# measured on the same real layer blob (bookworm layer 0). Prints MB/s of
# tar output for zlib (gzip -dc), ISA-L (igzip -dc), zstd, and the two
# SHA-256 implementations, and ISA-L's speed-up over zlib. The result is
# recorded in docs/dependencies.md.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/test-images.sh"
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}
oci=$cache/img/bookworm/oci
blob=$oci/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]=="bookworm") | .digest' "$oci/index.json" |
  xargs -I{} sh -c "jq -r '.layers[0].digest' $oci/blobs/sha256/\$(echo {} | cut -d: -f2)" | cut -d: -f2)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gzip -dc "$blob" >"$tmp/layer.tar"
zstd -q -3 "$tmp/layer.tar" -o "$tmp/layer.tar.zst"
mb=$(( $(stat -c %s "$tmp/layer.tar") / 1000000 ))
rate() { # best of 3 wall times -> MB/s of tar
  local best=999
  for _ in 1 2 3; do
    local t0 t1; t0=$(date +%s.%N); sh -c "$1" >/dev/null; t1=$(date +%s.%N)
    best=$(awk -v a="$t1" -v b="$t0" -v c="$best" 'BEGIN{d=a-b; print (d<c? d : c)}')
  done
  awk -v m="$mb" -v t="$best" 'BEGIN{printf "%.0f", m/t}'
}
z=$(rate "gzip -dc $blob")
printf '%-28s %6s MB/s\n' "zlib (gzip -dc)" "$z"
if command -v igzip >/dev/null; then
  i=$(rate "igzip -dc $blob")
  printf '%-28s %6s MB/s  (%.1fx zlib)\n' "ISA-L (igzip -dc)" "$i" "$(awk -v a="$i" -v b="$z" 'BEGIN{print a/b}')"
fi
printf '%-28s %6s MB/s\n' "zstd -dc (same tar, -3)" "$(rate "zstd -dc $tmp/layer.tar.zst")"
printf '%-28s %6s MB/s\n' "sha256sum (coreutils)" "$(rate "sha256sum $tmp/layer.tar")"
printf '%-28s %6s MB/s\n' "OpenSSL SHA-256" "$(rate "openssl dgst -sha256 $tmp/layer.tar")"
