#!/bin/sh
# TPTT against BPTT on the four long-range problems at the released code's full budget
# (nmanchev/tptt, RNN_dtp.py: 100,000 iterations of minibatches of 20, a check every 100), 5 seeds
# each, stopping once solved (training.stopAt 0) or after 300 checks without a new best (its
# patience): the experiment files' own settings (experiments/seq-<task>-<rule>.json), only the
# length set here. Cells in order of what they say per CPU hour: every task at the shortest length
# first, then longer ones. One core; run from the project root after `npm run build`, then
# `python3 results/tptt/collect.py runs/tptt/full-budget`.
#   sh results/tptt/run-full-budget.sh [task:length ...]   (default: the cells below)
# VALID=n validates on n sequences instead of the files' 1,000 (the released code draws 10,000), in
# runs/tptt/$ROOT (ROOT defaults to full-budget):
#   VALID=10000 ROOT=valid10k sh results/tptt/run-full-budget.sh temporal-order:20
set -e
cell() {
  APICAL_NATIVE_THREADS=1 node dist/src/cli/main.js compare \
    "experiments/seq-$1-tptt.json" "experiments/seq-$1-bptt.json" \
    --seeds 5 --jobs 1 --set "data.minLength=$2" --set "data.maxLength=$2" \
    ${VALID:+--set "data.sequences.valid=$VALID"} \
    --out "runs/tptt/${ROOT:-full-budget}/$1-T$2"
}
cells=${*:-"temporal-order:10 temporal-order-3bit:10 adding:10 permutation:10 temporal-order:20 temporal-order-3bit:20 permutation:20 adding:20"}
for c in $cells; do cell "${c%:*}" "${c#*:}"; done
