#!/usr/bin/env bash
# bench/yaml.sh: the YAML library choice (docs/dependencies.md). Parses the
# real YAML in ../shared/data (PyPI advisories, Kubernetes manifests, Compose
# files, Alpine secdb) with libyaml and with libfyaml, events only, and
# prints MB/s and documents/s for each, in one run.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
data=${HULL_SHARED:-$src/../shared}/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/libyaml" "$src/bench/yaml_events.c" $(pkg-config --cflags --libs yaml-0.1)
if pkg-config --exists libfyaml; then
  cc -O2 -DUSE_FYAML -o "$tmp/libfyaml" "$src/bench/yaml_events.c" $(pkg-config --cflags --libs libfyaml)
fi
for set in "pypi:$data/osv-pypi" "k8s+compose:$data/k8s-real $data/compose" "alpine-secdb:$data/alpine-secdb"; do
  name=${set%%:*}
  files=$(find ${set#*:} -name '*.yaml' -o -name '*.yml' | sort)
  n=$(echo "$files" | wc -l)
  for lib in libyaml libfyaml; do
    [[ -x $tmp/$lib ]] || continue
    printf '%-13s %-9s %5d files: %s\n' "$name" "$lib" "$n" "$("$tmp/$lib" 5 $files)"
  done
done
