#!/usr/bin/env bash
# bench/image.sh [HULL]: reading an image costs no more than gunzip alone.
# On the bookworm images (scripts/test-images.sh), prints in one run:
# hull sbom's wall time, the time of `gzip -dc` over the same layer blobs,
# their ratio, and hull's peak RSS. Best of N runs (N=${RUNS:-5}) each.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
hull=${1:-$src/build/hull}
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}
runs=${RUNS:-5}
"$src/scripts/test-images.sh"

best() { # best wall time (s) and its peak RSS (KiB) of a command, over $runs runs
  local t m bt=999999 bm=0
  for _ in $(seq "$runs"); do
    read -r t m < <( { /usr/bin/time -f '%e %M' "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    if awk -v a="$t" -v b="$bt" 'BEGIN{exit !(a<b)}'; then bt=$t; bm=$m; fi
  done
  echo "$bt $bm"
}

printf '%-34s %9s %9s %7s %9s\n' image "hull (s)" "gzip (s)" ratio "RSS (MiB)"
for form in oci:bookworm oci:bookworm-layered bookworm.oci.tar bookworm-layered-zstd.oci.tar bookworm.docker.tar; do
  dir=$cache/img/bookworm
  target=$dir/${form}
  [[ $form == oci:* ]] && target=$dir/oci:${form#oci:}
  # the layer blobs of that image, as hull reads them
  layers=$("$hull" sbom --format json --quiet "$target" | jq -r '.layers[] | .digest // empty')
  tmp=$(mktemp -d)
  blobs=()
  for d in $layers; do
    if [[ -d $dir/oci && $form == oci:* ]]; then blobs+=("$dir/oci/blobs/sha256/${d#sha256:}")
    else tar -xf "$target" -C "$tmp" "blobs/sha256/${d#sha256:}" && blobs+=("$tmp/blobs/sha256/${d#sha256:}"); fi
  done
  read -r ht hm < <(best "$hull" sbom --format json --quiet "$target")
  if [[ $form == *docker* ]]; then
    # docker-archive layers are plain tar: the baseline is reading them (cat)
    tar -xf "$target" -C "$tmp"
    base=$(jq -r '.[0].Layers[]' "$tmp/manifest.json" | sed "s|^|$tmp/|")
    read -r gt _ < <(best sh -c "cat $(echo $base) >/dev/null")
    label="$form (baseline: cat)"
  elif [[ $form == *zstd* ]]; then
    read -r gt _ < <(best sh -c "zstd -dc ${blobs[*]} >/dev/null")
    label="$form (baseline: zstd -dc)"
  else
    read -r gt _ < <(best sh -c "gzip -dc ${blobs[*]} >/dev/null")
    label="$form"
  fi
  rm -rf "$tmp"
  printf '%-34s %9s %9s %7s %9s\n' "$label" "$ht" "$gt" \
    "$(awk -v a="$ht" -v b="$gt" 'BEGIN{printf "%.2f", (b>0? a/b : 0)}')" \
    "$(awk -v m="$hm" 'BEGIN{printf "%.1f", m/1024}')"
done
