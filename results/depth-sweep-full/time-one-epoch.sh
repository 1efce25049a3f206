#!/bin/bash
# One full-budget epoch (all 50,000 training images, then the evaluation the sweep makes after its
# last epoch) of every seed-1 cell of experiments/depth-sweep-full-mnist.json, one at a time on one
# thread, to estimate the full sweep's cost. Writes results/depth-sweep-full/one-epoch.csv:
# the cell, its training seconds in epoch 1, its evaluation seconds, and the wall seconds of the
# whole `apical run` (data loading included).  Usage: time-one-epoch.sh [sweep-name] (default: depth-sweep-full-mnist)
cd "$(dirname "$0")/../.."
export APICAL_NATIVE_THREADS=1
S=${1:-depth-sweep-full-mnist}
OUT=results/depth-sweep-full/one-epoch${1:+-$1}.csv
# The sweep writes its cells' experiment files (and nothing else) before it runs any: plan it only.
node -e 'const { loadSweep, planSweep } = require("./dist/src/experiment/sweep"); planSweep(loadSweep(process.argv[1]), process.argv[2]);' experiments/$S.json runs/time-$S
echo "cell,depth,train_seconds,eval_seconds,wall_seconds" > $OUT
for file in runs/time-$S/experiments/*-s1.json; do
  key=$(basename $file .json)
  start=$(date +%s.%N)
  node dist/src/cli/main.js run $file --epochs 1 --out runs/time-$S/$key > runs/time-$S/$key.log 2>&1 || { echo "$key failed"; continue; }
  end=$(date +%s.%N)
  depth=${key##*-d}; depth=${depth%-s1}
  jq -r --arg key $key --arg depth $depth --arg wall $(echo "$end - $start" | bc) '[$key, $depth, (.seconds|tostring), (.eval_seconds|tostring), $wall] | join(",")' runs/time-$S/$key/metrics.jsonl >> $OUT
done
echo "done $(date)"
