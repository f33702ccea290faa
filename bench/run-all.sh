#!/usr/bin/env bash
# Runs every benchmark in bench/ with the given hull binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for b in "$here"/*.sh; do
  [[ $(basename "$b") == run-all.sh ]] && continue
  echo "== $(basename "$b")"
  "$b" "$@"
done
