#!/bin/sh
# The missing-modality runs of RESULTS.md ("A missing modality"), from the project folder after
# `npm run build`, one at a time on one thread: the both-halves network and the top-half-only
# baseline, seeds 1-3, and the both-halves network filled in with 3 decode-and-clamp steps (seed 1).
# Each run's config.json, metrics.jsonl and summary.json are kept in results/missing-view/<run>/.
set -e
export APICAL_NATIVE_THREADS=1
for seed in 1 2 3; do
  node dist/src/cli/main.js run experiments/mnist-halves-dtp.json --seed $seed --out runs/missing-view/mnist-halves-dtp-s$seed
  node dist/src/cli/main.js run experiments/mnist-halves-dtp-top-only.json --seed $seed --out runs/missing-view/mnist-halves-dtp-top-only-s$seed
done
node dist/src/cli/main.js run experiments/mnist-halves-dtp.json --set training.missingView.fillSteps=3 --out runs/missing-view/mnist-halves-dtp-fill3-s1
for run in runs/missing-view/*/; do
  name=$(basename "$run")
  mkdir -p results/missing-view/$name
  cp "$run/config.json" "$run/metrics.jsonl" "$run/summary.json" results/missing-view/$name/
done
