#!/usr/bin/env bash
# bench/scan.sh [HULL]: hull image on the bookworm docker-archive and OCI
# archive, in one run: cold scan (empty layer cache), warm rescan (cache
# filled), `gzip -dc` over the same layer blobs, the ratios, and peak RSS.
# Goals: cold <= 1.2x gunzip; warm < 50 ms; RSS < 64 MiB.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/test-images.sh"
exec python3 "$src/bench/scan.py" "${1:-$src/build/hull}"
