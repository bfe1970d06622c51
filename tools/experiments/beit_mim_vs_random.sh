#!/usr/bin/env bash
# Does masked-image-modeling pre-training earn its place? BEiT-tiny fine-tuned on pairs from our MIM
# checkpoint against the same fine-tuning from random weights: same recipe, same number of steps, same
# holdout pairs. Writes runs/beit-quality/{tokenizer,mim,from-mim,from-random} and prints both evaluations.
#
# Usage: tools/experiments/beit_mim_vs_random.sh [MIM minutes] [fine-tuning epochs]
#   SIMIL_DATA: the dataset (default ../shared/data/...); DATA_OPTS: more data options for every command
#   (a subset, say "--classes 20 --per-class 100"); OUT: the output folder (default runs/beit-quality);
#   VOCAB: visual-token vocabulary (default 8192, as in the paper).
# Budgets used for the README (2-core machine): `beit_mim_vs_random.sh 25 2`, i.e. 25 minutes of
# pre-training and 2 fine-tuning epochs of 4,400 pairs each (--pairs-per-image 0.05) per arm.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIM_MINUTES=${1:-25}
FT_EPOCHS=${2:-2}
DATA=${SIMIL_DATA:-../shared/data/tiny-imagenet-200-train.zip}
read -r -a DATA_OPTS <<< "${DATA_OPTS:-}"
OUT=${OUT:-runs/beit-quality}
mkdir -p "$OUT"
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}

# Visual tokens: k-means over normalized 8x8 patches (the cheap tokenizer), BEiT's 8192-word vocabulary.
[ -f "$OUT/tokenizer/tokenizer.json" ] || ./simil tokenizer train --kind kmeans --vocab "${VOCAB:-8192}" --epochs 10 \
    --data "$DATA" "${DATA_OPTS[@]}" --out "$OUT/tokenizer"
# Masked image modeling for a fixed wall-time budget; epochs of 10,000 images so checkpoints come often.
./simil pretrain beit --config tiny --tokenizer "$OUT/tokenizer" --epochs 1000 --images-per-epoch 10000 \
    --warmup-steps 200 --budget-minutes "$MIM_MINUTES" --data "$DATA" "${DATA_OPTS[@]}" --out "$OUT/mim" \
    $( [ -d "$OUT/mim/checkpoint" ] && echo --resume )
for arm in from-mim from-random; do
    init=()
    [ "$arm" = from-mim ] && init=(--init "$OUT/mim")
    ./simil train beit "${init[@]}" --config tiny --recipe beit --epochs "$FT_EPOCHS" --pairs-per-image 0.05 \
        --data "$DATA" "${DATA_OPTS[@]}" --out "$OUT/$arm" $( [ -d "$OUT/$arm/checkpoint" ] && echo --resume )
    ./simil eval --model "$OUT/$arm" --data "$DATA" "${DATA_OPTS[@]}" --pairs balanced --out "$OUT/$arm/eval-holdout-balanced"
done
for arm in from-mim from-random; do
    echo "$arm: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('AUC %.4f, balanced accuracy %.4f at threshold %.3f' % (r['auc'], r['balanced_accuracy'], r['threshold']))" "$OUT/$arm/eval-holdout-balanced/report.json")"
done
