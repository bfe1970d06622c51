#!/usr/bin/env bash
# Every benchmark against its PyTorch anchor, one after another, refreshing bench/RESULTS.md.
# Run it on an otherwise idle machine: each figure is a ratio measured in the same run, but other load
# still adds noise. Needs Debian's PyTorch (apt-get install -y python3-torch libopenblas0-pthread).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
bench/conv_vs_torch.sh 3 5
bench/attention_vs_torch.sh 3
bench/matchnet_vs_torch.sh 2
bench/beit_vs_torch.sh 2
