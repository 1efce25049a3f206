#!/bin/sh
# The temporal order table: TPTT against BPTT at growing lengths, 5 seeds each, minibatches of 20
# fresh sequences, an epoch = 100 minibatches (the released code's check interval); 100 epochs
# (10,000 iterations, a tenth of the released code's budget) at T = 10 and 20, 30 epochs at T = 40
# (for lack of time on a shared machine), one core, without the files' stop when solved and patience
# (training.stopAt, training.patience: run-full-budget.sh). Run from the project root after `npm run build`.
set -e
run() {
  APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js compare \
    experiments/seq-temporal-order-tptt.json experiments/seq-temporal-order-bptt.json \
    --seeds 5 --jobs 1 --epochs $2 --set data.minLength=$1 --set data.maxLength=$1 \
    --set training.stopAt=null --set training.patience=null \
    --out runs/tptt/temporal-order-T$1
}
run 10 100
run 20 100
run 40 30
