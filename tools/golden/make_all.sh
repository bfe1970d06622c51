#!/usr/bin/env bash
# Regenerates every golden fixture under src/test/resources/golden with PyTorch.
# Needs Debian's PyTorch: apt-get install -y python3-torch (run with /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")"
for script in golden_*.py; do
    /usr/bin/python3 "$script"
done
