#!/usr/bin/env bash
# bench/image.sh [HULL]: reading an image costs no more than gunzip alone.
# On the bookworm images (scripts/test-images.sh) prints, in one run: hull
# sbom's wall time, the time of `gzip -dc` over the same layer blobs, their
# ratio, and hull's peak RSS. Best of RUNS (default 5) runs each.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/test-images.sh"
exec python3 "$src/bench/image.py" "${1:-$src/build/hull}"
