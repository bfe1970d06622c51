#!/usr/bin/env bash
# Ablations of the default MatchNet recipe: the recipe as it is, then one run per choice switched the other
# way (simil train --set FIELD=VALUE), all at the same reduced length, each evaluated on the same 50,000 balanced
# holdout pairs with its threshold chosen on the validation split. Writes OUT/<variant>/ and OUT/ablations.md.
# Interrupted? Run it again: finished variants are passed over, an unfinished one resumes.
#
# Usage: tools/experiments/matchnet_ablations.sh [classifier epochs] [metric epochs]   (default 2 and 5:
#   about 17 minutes a variant on the 2-core machine, 2 hours for all eight)
#   SIMIL_DATA: the dataset (default ../shared/data/...); DATA_OPTS: more data options for every command
#   (a subset, say "--classes 50 --per-class 200"); OUT: the output folder (default runs/ablations);
#   VARIANTS: the variants to run, space-separated (default: all, in the order below).
set -euo pipefail
cd "$(dirname "$0")/../.."
CLASSIFIER_EPOCHS=${1:-2}
METRIC_EPOCHS=${2:-5}
DATA=${SIMIL_DATA:-../shared/data/tiny-imagenet-200-train.zip}
read -r -a DATA_OPTS <<< "${DATA_OPTS:-}"
OUT=${OUT:-runs/ablations}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}

# What each variant changes in recipe default. Crops and flips and label smoothing are off in it (README ›
# Recipes says why), so those variants switch them on. "pairs-not-classifier" trains the tower end to end on pairs
# for as many epochs (a pair epoch passes as many images through the tower as a classifier epoch).
declare -A CHANGE=(
    [default]=""
    [no-batch-norm]="--set batchNorm=false"
    [with-augmentation]="--set augment=true"
    [no-normalization]="--set normalize=false"
    [with-label-smoothing]="--set labelSmoothing=0.1"
    [no-flip-average]="--set flipAverage=false"
    [no-symmetric-score]="inference only: the default variant's model, config.json's symmetric_score false"
    [pairs-not-classifier]="--set classifierEpochs=0 --set pairEpochs=$CLASSIFIER_EPOCHS"
)
read -r -a ORDER <<< "${VARIANTS:-default no-batch-norm with-augmentation no-normalization with-label-smoothing no-flip-average no-symmetric-score pairs-not-classifier}"

mkdir -p "$OUT"
for variant in "${ORDER[@]}"; do
    [ -n "${CHANGE[$variant]+set}" ] || { echo "unknown variant $variant (${!CHANGE[*]})" >&2; exit 2; }
    dir=$OUT/$variant
    report=$dir/eval-holdout-balanced/report.json
    [ -f "$report" ] && continue
    if [ "$variant" = no-symmetric-score ]; then
        # Training is the same (it sees one order per pair); only the scoring differs, so no retraining.
        [ -f "$OUT/default/model.safetensors" ] || { echo "no-symmetric-score needs the default variant first" >&2; exit 2; }
        mkdir -p "$dir"
        cp "$OUT"/default/{model.safetensors,normalization.json,data.json,metrics.csv,metrics-metric.csv} "$dir"/
        python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["symmetric_score"]=False; json.dump(c,open(sys.argv[2],"w"))' \
            "$OUT/default/config.json" "$dir/config.json"
        ./simil eval --model "$dir" --data "$DATA" "${DATA_OPTS[@]}" --pairs balanced --out "$dir/eval-holdout-balanced"
        continue
    fi
    read -r -a change <<< "${CHANGE[$variant]}"
    ./simil train matchnet --recipe default --epochs "$CLASSIFIER_EPOCHS" --metric-epochs "$METRIC_EPOCHS" \
        --budget-minutes 0 "${change[@]}" --data "$DATA" "${DATA_OPTS[@]}" --out "$dir" \
        $( [ -d "$dir/checkpoint" ] && echo --resume )
    ./simil eval --model "$dir" --data "$DATA" "${DATA_OPTS[@]}" --pairs balanced --out "$dir/eval-holdout-balanced"
done

python3 - "$OUT" "$CLASSIFIER_EPOCHS" "$METRIC_EPOCHS" "${ORDER[@]}" <<'PY' | tee "$OUT/ablations.md"
import csv, json, os, sys
out, ce, me, variants = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pairs = json.load(open(os.path.join(out, variants[0], "eval-holdout-balanced", "report.json")))["n_pairs"]
print(f"# Ablations of recipe default ({ce} tower epochs, {me} metric epochs; {pairs:,} balanced holdout pairs)\n")
print("| variant | AUC | balanced accuracy | threshold | first phase's last validation accuracy | minutes in epochs |")
print("|---|---:|---:|---:|---:|---:|")
for v in variants:
    r = json.load(open(os.path.join(out, v, "eval-holdout-balanced", "report.json")))
    rows = list(csv.DictReader(open(os.path.join(out, v, "metrics.csv"))))
    minutes = sum(float(row["seconds"]) for row in rows) / 60
    metric = os.path.join(out, v, "metrics-metric.csv")
    if os.path.exists(metric):
        minutes += sum(float(row["seconds"]) for row in csv.DictReader(open(metric))) / 60
    print(f"| {v} | {r['auc']:.4f} | {r['balanced_accuracy']:.4f} | {r['threshold']:.3f} | {float(rows[-1]['val_acc']):.4f} | {minutes:.0f} |")
print("\nThe first phase's validation accuracy is top-1 over the classes for the classifier, and accuracy on balanced")
print("validation pairs for pairs-not-classifier.")
PY
