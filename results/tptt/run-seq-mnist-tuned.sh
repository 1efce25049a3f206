#!/bin/sh
# Sequential MNIST (28 rows as 28 steps), each rule tuned on validation: `apical tune` over
# experiments/seq-mnist-spaces/<rule>.json (BPTT and feedback alignment through time: the forward
# learning rate; TPTT: forward and inverse rates, the top step α_i and G's noise), 27 trials,
# successive halving with η = 3 up to the files' 10 epochs (rungs of 1, 3 and 10 epochs), search
# seed 1; then the best trial's settings (best.json) over seeds 1–3 with `apical compare`. One core,
# resumable (finished trials and seeds are skipped). Run from the project root after `npm run build`:
#   sh results/tptt/run-seq-mnist-tuned.sh [rule ...]   (default: bptt fa-tt tptt)
set -e
export APICAL_NATIVE_THREADS=1
for rule in ${*:-bptt fa-tt tptt}; do
  node dist/src/cli/main.js tune experiments/seq-mnist-$rule.json --space experiments/seq-mnist-spaces/$rule.json \
    --trials 27 --budget 10 --eta 3 --min-epochs 1 --seed 1 --jobs 1 --out runs/tptt/seq-mnist-tune-$rule
  node dist/src/cli/main.js compare runs/tptt/seq-mnist-tune-$rule/best.json --seeds 3 --jobs 1 \
    --out runs/tptt/seq-mnist-tuned-$rule
done
