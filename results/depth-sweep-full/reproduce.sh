#!/bin/bash
# The full sweep's files mean what they say: seed-1 cells of experiments/depth-sweep-full-mnist.json,
# run with the budget set back to the reduced sweeps' (the first 10,000 training images, 10 epochs),
# against the committed reduced cells whose settings they carry. Each pair's metrics.jsonl must be
# identical without its timing fields. Writes results/depth-sweep-full/reproduce.txt (with cell names as
# arguments, checks only those and adds their lines to it).  Usage: reproduce.sh [cell …] (default: all)
cd "$(dirname "$0")/../.."
export APICAL_NATIVE_THREADS=1
OUT=results/depth-sweep-full/reproduce.txt
node -e 'const { loadSweep, planSweep } = require("./dist/src/experiment/sweep"); planSweep(loadSweep(process.argv[1]), process.argv[2]);' experiments/depth-sweep-full-mnist.json runs/reproduce-full
strip() { jq -c 'del(.seconds, .eval_seconds, .cpu_seconds, .wall_seconds, .t_wall)' "$1"; }
[ $# -eq 0 ] && : > $OUT
while read -r cell committed; do
  [ $# -gt 0 ] && [[ ! " $* " =~ " $cell " ]] && continue
  node dist/src/cli/main.js run runs/reproduce-full/experiments/depth-sweep-full-mnist-$cell.json --set data.trainLimit=10000 --set training.epochs=10 --out runs/reproduce-full/$cell > runs/reproduce-full/$cell.log 2>&1
  if cmp -s <(strip runs/reproduce-full/$cell/metrics.jsonl) <(strip $committed/metrics.jsonl); then verdict=identical; else verdict=DIFFERS; fi
  echo "$cell (trainLimit 10000, 10 epochs) vs $committed: metrics.jsonl $verdict without timing ($(wc -l < $committed/metrics.jsonl) epochs)" | tee -a $OUT
done <<'PAIRS'
sign-bp-ste-d4-s1 results/depth-sweep-fair/cells/depth-sweep-fair-sign-bp-ste-d4
sign-dtp-st-d8-s1 results/depth-sweep-fair-st-d8/cells/depth-sweep-fair-st-d8-sign-dtp-st-growth1.5-lr2x-d8
sign-dtp-st-d16-s1 results/depth-sweep-fair-d16/cells/depth-sweep-fair-d16-sign-dtp-st-growth1.3-lr2x-d16
quantise4-dtp-st-d8-s1 results/depth-sweep-fair-more/cells/depth-sweep-fair-more-quantise4-dtp-st-growth1.5-lr2x-d8
quantise4-dtp-st-d16-s1 results/depth-sweep-fair-d16-more/cells/depth-sweep-fair-d16-more-quantise4-dtp-st-growth1.1-lr2x-d16
stochastic-dtp-st-d2-s1 results/depth-sweep-fair-st/cells/depth-sweep-fair-st-stochastic-dtp-st-growth2-lr2x-d2
stochastic-dtp-st-d8-s1 results/depth8-stochastic-st/centred-decoders/tuned
stochastic-dtp-st-d16-s1 results/depth8-stochastic-st/centred-inputs/d16-forwardmean-growth1.2
PAIRS
