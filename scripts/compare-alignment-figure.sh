#!/usr/bin/env bash
# docs/compare-alignment.png, redrawn from the committed runs of the 20-epoch comparison
# (results/compare-mnist/twenty-epochs/<experiment>-s<seed>/, seeds 1..SEEDS, default 3): copies
# them into a comparison folder, where `apical compare` finds every run finished, runs none and
# writes compare.csv, compare.md and alignment.html from their metrics.jsonl; then
# scripts/docs-screenshots.js --alignment draws the figure. Stops with one line when a run is not
# committed (compare would train it). Needs `npm run build`, chromium and ImageMagick (as
# docs-screenshots.js does).
#
#   bash scripts/compare-alignment-figure.sh        # OUT (default runs/compare-alignment), SEEDS
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-runs/compare-alignment}
seeds=${SEEDS:-3}
committed=results/compare-mnist/twenty-epochs
experiments=(experiments/compare-mnist/*.json experiments/mnist-dtp-5x256.json)
mkdir -p "$out"
for file in "${experiments[@]}"; do
  name=$(node -p "require('./$file').name")
  for seed in $(seq 1 "$seeds"); do
    run=$committed/$name-s$seed
    [ -f "$run/summary.json" ] || { echo "compare-alignment-figure: $run is not committed (no summary.json)" >&2; exit 2; }
    rm -rf "${out:?}/$name-s$seed"
    cp -r "$run" "$out/"
  done
done
node dist/src/cli/main.js compare "${experiments[@]}" --seeds "$seeds" --epochs 20 --jobs 1 --out "$out"
node scripts/docs-screenshots.js --alignment "$out"
