#!/usr/bin/env bash
# sbom-dpkg.sh RELEASE FORM: the dpkg packages `hull sbom` lists for one
# form of a real Debian image equal exactly what dpkg-query lists for the
# image's root filesystem (installed packages: name, version, architecture,
# source name, source version).
# FORM: rootfs | oci:TAG | docker | docker-layered | oci-archive |
#       oci-archive-layered | oci-archive-zstd
set -uo pipefail
rel=$1 form=$2
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}
dir=$cache/img/$rel
. "${HULL_SRC:?}/tests/lib/skip.sh"
[[ -f $dir/SUMMARY.txt ]] || skip_missing "$dir not built (scripts/test-images.sh)"
case $form in
  rootfs) target=$dir/rootfs ;;
  oci:*) target=$dir/oci:${form#oci:} ;;
  docker) target=$dir/$rel.docker.tar ;;
  docker-layered) target=$dir/$rel-layered.docker.tar ;;
  oci-archive) target=$dir/$rel.oci.tar ;;
  oci-archive-layered) target=$dir/$rel-layered.oci.tar ;;
  oci-archive-zstd) target=$dir/$rel-layered-zstd.oci.tar ;;
  *) echo "unknown form $form" >&2; exit 2 ;;
esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

dpkg-query --admindir="$dir/rootfs/var/lib/dpkg" -W \
  -f '${db:Status-Status} ${Package} ${Version} ${Architecture} ${source:Package} ${source:Version}\n' |
  awk '$1 == "installed" { $1 = ""; sub(/^ /, ""); print }' | sort >"$tmp/want"

if ! "$HULL_BIN" sbom --format json "$target" >"$tmp/sbom.json" 2>"$tmp/stderr"; then
  echo "not ok 1 - hull sbom $target failed: $(cat "$tmp/stderr")"; echo "1..1"; exit 1
fi
jq -r '.packages[] | select(.type == "deb") |
  "\(.name) \(.version) \(.arch) \(.source.name // .name) \(.source.version // .version)"' \
  "$tmp/sbom.json" | sort >"$tmp/got"

n=$(wc -l <"$tmp/want")
if [[ $n -gt 0 ]] && diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
  echo "ok 1 - $rel $form: $n dpkg packages equal dpkg-query's"
  status=0
else
  echo "not ok 1 - $rel $form: hull differs from dpkg-query ($n expected)"
  sed 's/^/# /' "$tmp/diff" | head -40
  status=1
fi
echo "1..1"
exit $status
