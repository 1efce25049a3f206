#!/bin/sh
# Sequential MNIST (28 rows as 28 steps): test error after 1 epoch (50,000 digits), TPTT, BPTT and feedback
# alignment through time, seed 1, one core. Run from the project root after `npm run build`.
set -e
for rule in tptt bptt; do
  APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js run experiments/seq-mnist-$rule.json --epochs 1 --out runs/tptt/seq-mnist-$rule
done
APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js run experiments/seq-mnist-bptt.json --set rule.name=fa-tt --set name=seq-mnist-fa-tt --epochs 1 --out runs/tptt/seq-mnist-fa-tt
