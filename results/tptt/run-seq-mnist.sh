#!/bin/sh
# Sequential MNIST (28 rows as 28 steps): test error after EPOCHS epochs (default 1; 50,000 digits
# each), TPTT, BPTT and feedback alignment through time, seed 1, one core. Run from the project root
# after `npm run build`. Runs land in runs/tptt/seq-mnist-<rule> (EPOCHS=1) or
# runs/tptt/seq-mnist-e<EPOCHS>-<rule>:
#   EPOCHS=10 sh results/tptt/run-seq-mnist.sh
set -e
epochs=${EPOCHS:-1}
tag=seq-mnist$([ "$epochs" = 1 ] || echo "-e$epochs")
for rule in tptt bptt; do
  APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js run experiments/seq-mnist-$rule.json --epochs "$epochs" --out runs/tptt/$tag-$rule
done
APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js run experiments/seq-mnist-bptt.json --set rule.name=fa-tt --set name=seq-mnist-fa-tt --epochs "$epochs" --out runs/tptt/$tag-fa-tt
