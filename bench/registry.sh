#!/usr/bin/env bash
# bench/registry.sh [HULL]: scanning an image by reference from a registry
# against copying it alone. In one run, on a docker-registry started here on
# loopback (TLS with a CA made here, for both tools) with the bookworm images
# pushed by skopeo: hull sbom's full scan by reference (no cache) against
# `skopeo copy docker://... dir:` of the same image, the warm rescan (layer
# cache filled) with its request count against `curl` fetching the same
# manifest (the goal's "one manifest request"), their ratios, and hull's
# peak RSS. Best of RUNS (default 5) runs each.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/test-images.sh"
exec python3 "$src/bench/registry.py" "${1:-$src/build/hull}"
