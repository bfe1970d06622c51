#!/usr/bin/env bash
# simil-spark pairs in Spark's local mode on 1 and on 2 task slots, against single-process simil eval --pairs all, on the
# same 10,000 holdout images (99,990,000 ordered pairs) and 2,000 validation images of a MatchNet of the quick recipe.
#
#   bench/spark_scaling.sh [ARCHIVE]      (default ../shared/data/tiny-imagenet-200-train.zip)
#
# Needs the engine installed (mvn -B -DskipTests install) and spark/target/simil-spark.jar (mvn -B -f spark/pom.xml
# package). Spark jobs go through Spark's own spark-submit (org.apache.spark.deploy.SparkSubmit, with the Spark jars
# Maven resolved for the module), one engine thread per task slot (SIMIL_THREADS=1); simil eval uses every core.
# Prints each run's scoring seconds for the holdout's pairs, the speedup of local[2] over local[1], and Spark's time over
# simil eval's, from this one run; the AUCs of all three, which must be equal.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(realpath "${1:-../shared/data/tiny-imagenet-200-train.zip}")
WORK=${SIMIL_BENCH_DIR:-/tmp/simil-spark-bench}
BLOCK=${BLOCK:-1024}
export SIMIL_CACHE=$WORK/cache
mkdir -p "$WORK"
# 200 classes × (50 holdout, 10 validation, 10 training) images: the README's default holdout of 10,000 images.
SPLIT=(--classes 200 --per-class 70 --holdout 50 --val-per-class 10)

# The quick recipe's MatchNet (the quick start's shape: 256 features, 1024 hidden, symmetric score), one epoch of each phase:
# a pair costs the same whatever the weights.
[ -f "$WORK/model/model.safetensors" ] || ./simil train matchnet --recipe quick --budget-minutes 0 --epochs 1 --metric-epochs 1 \
    "${SPLIT[@]}" --data "$DATA" --out "$WORK/model"

# Each split's images and classes as simil embed names them, as lists for simil-spark embed.
for split in holdout validation; do
  [ -f "$WORK/$split.safetensors" ] || ./simil embed --model "$WORK/model" --data "$DATA" --split $split --out "$WORK/$split.safetensors"
  python3 - "$WORK/$split.safetensors" > "$WORK/$split.tsv" <<'EOF'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    size = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(size))
    meta = header["__metadata__"]
    begin, end = header["labels"]["data_offsets"]
    f.seek(8 + size + begin)
    labels = struct.unpack("<%di" % ((end - begin) // 4), f.read(end - begin))
ids, classes = json.loads(meta["ids"]), json.loads(meta["classes"])
for i, label in zip(ids, labels):
    print(i + "\t" + classes[label])
EOF
done

OPTS=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' spark/pom.xml)
CP=$WORK/spark.classpath
(cd spark && mvn -B -q dependency:build-classpath -DincludeScope=provided -Dmdep.outputFile="$CP")
submit() {
  local master=$1; shift
  SIMIL_THREADS=1 java -Xmx6g $OPTS -cp "$(cat "$CP")" org.apache.spark.deploy.SparkSubmit --master "$master" \
      --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=2 --class simil.spark.SimilSpark spark/target/simil-spark.jar "$@"
}
for split in holdout validation; do
  # _simil.json is written last: without it, an embedding that did not finish.
  [ -f "$WORK/$split.parquet/_simil.json" ] || { rm -rf "$WORK/$split.parquet"
    submit 'local[2]' embed --model "$WORK/model" --images "$WORK/$split.tsv" --out "$WORK/$split.parquet"; }
done

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK/eval" "$WORK/report-local1" "$WORK/report-local2"
start=$(date +%s.%N)
./simil eval --model "$WORK/model" --data "$DATA" --pairs all --out "$WORK/eval" 2> "$WORK/eval.err"
eval_wall=$(echo "$(date +%s.%N) - $start" | bc)
for slots in 1 2; do
  start=$(date +%s.%N)
  submit "local[$slots]" pairs --model "$WORK/model" --embeddings "$WORK/holdout.parquet" --validation "$WORK/validation.parquet" \
      --report "$WORK/report-local$slots" --block "$BLOCK" 2> "$WORK/local$slots.err"
  echo "$(echo "$(date +%s.%N) - $start" | bc)" > "$WORK/local$slots.wall"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK" "$eval_wall" <<'EOF'
import json, re, sys
work, eval_wall = sys.argv[1], float(sys.argv[2])
def report(d): return json.load(open(f"{work}/{d}/report.json"))
ev, l1, l2 = report("eval"), report("report-local1"), report("report-local2")
embed = float(re.search(r"embedded \d+ images in ([\d.]+) s", open(f"{work}/eval.err").read()).group(1))
eval_scoring = ev["seconds"] - embed
walls = [float(open(f"{work}/local{s}.wall").read()) for s in (1, 2)]
print(f"pairs: {ev['n_pairs']:,}; AUC eval {ev['auc']!r}, local[1] {l1['auc']!r}, local[2] {l2['auc']!r}; "
      f"confusion equal: {ev['confusion'] == l1['confusion'] == l2['confusion']}")
print(f"simil eval (one process, every core): scoring {eval_scoring:.1f} s ({ev['n_pairs'] / eval_scoring:,.0f} pairs/s), command {eval_wall:.1f} s")
for name, r, wall in (("local[1]", l1, walls[0]), ("local[2]", l2, walls[1])):
    print(f"simil-spark pairs {name}: scoring {r['seconds']:.1f} s ({r['pairs_per_second']:,.0f} pairs/s), command {wall:.1f} s")
print(f"speedup local[2] over local[1]: {l1['seconds'] / l2['seconds']:.2f}x (scoring), {walls[0] / walls[1]:.2f}x (command)")
print(f"local[2] over simil eval: {l2['seconds'] / eval_scoring:.2f}x the time (scoring), {walls[1] / eval_wall:.2f}x (command)")
EOF
