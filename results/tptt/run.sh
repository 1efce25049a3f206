#!/bin/sh
# The temporal order table: TPTT against BPTT at growing lengths, 5 seeds each, 100 epochs of
# 100 minibatches of 20 fresh sequences (10,000 iterations, a tenth of the released code's budget),
# one core. Run from the project root after `npm run build`.
set -e
for T in 10 20 40; do
  APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js compare \
    experiments/seq-temporal-order-tptt.json experiments/seq-temporal-order-bptt.json \
    --seeds 5 --jobs 1 --epochs 100 --set data.minLength=$T --set data.maxLength=$T \
    --out runs/tptt/temporal-order-T$T
done
