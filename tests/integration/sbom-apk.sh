#!/usr/bin/env bash
# sbom-apk.sh FORM: the apk packages `hull sbom` lists for the Alpine-like
# image of ../shared/tools/mk-fake-alpine-image.sh equal exactly the records
# of its lib/apk/db/installed (name, version, arch, origin), for each form.
# FORM: rootfs | oci | docker | oci-archive
set -uo pipefail
form=$1
dir=${HULL_TEST_CACHE:-/var/cache/hull-test}/img/alpine-fake
. "${HULL_SRC:?}/tests/lib/skip.sh"
[[ -f $dir/.done ]] || skip_missing "$dir not built (scripts/test-images.sh)"
case $form in
  rootfs) target=$dir/rootfs ;;
  oci) target=$dir/oci:alpine-fake ;;
  docker) target=$dir/alpine-fake.docker.tar ;;
  oci-archive) target=$dir/alpine-fake.oci.tar ;;
esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# the installed database, read independently: one record per blank-line block
awk -F: '/^P:/{p=substr($0,3)} /^V:/{v=substr($0,3)} /^A:/{a=substr($0,3)} /^o:/{o=substr($0,3)}
  /^$/{if(p!="")print p, v, a, o; p=v=a=o=""} END{if(p!="")print p, v, a, o}' \
  "$dir/rootfs/lib/apk/db/installed" | sort >"$tmp/want"
if ! "$HULL_BIN" sbom --format json "$target" >"$tmp/sbom.json" 2>"$tmp/err"; then
  echo "not ok 1 - hull sbom $target: $(cat "$tmp/err")"; echo 1..1; exit 1
fi
jq -r '.packages[] | select(.type == "apk") | "\(.name) \(.version) \(.arch) \(.source.name // .name)"' \
  "$tmp/sbom.json" | sort >"$tmp/got"
os=$(jq -r '"\(.os.id) \(.os.versionId)"' "$tmp/sbom.json")
n=$(wc -l <"$tmp/want")
if [[ $n -gt 0 ]] && diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" && [[ $os == "alpine 3.14.2" ]]; then
  echo "ok 1 - alpine-fake $form: $n apk packages as in lib/apk/db/installed, os $os"
  echo 1..1; exit 0
fi
echo "not ok 1 - alpine-fake $form: differs (os: $os)"; sed 's/^/# /' "$tmp/diff" | head -30
echo 1..1; exit 1
