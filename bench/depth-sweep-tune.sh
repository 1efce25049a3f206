#!/usr/bin/env bash
# Issue 17's per-cell searches on validation: a cell of the full depth sweep
# (experiments/depth-sweep-full-<data>.json), seed 1, searched with `apical tune` over a space of
# experiments/depth-sweep-spaces/ (12 trials, successive halving with η = 3 to the cell's 20 epochs:
# rungs of 2, 7 and 20 epochs, about 4.6 full runs of the cell), validation every epoch with the
# cell's own number of samples. The winner's settings go into the sweep file by hand (a line's
# atDepth), and the cells are re-run by `apical sweep` at both seeds.
#
#   npm run build && nohup bash bench/depth-sweep-tune.sh mnist sign-bp-ste-d8:bp-ste > runs/depth-tune.log 2>&1 &
#
# Arguments: mnist or fashion, then cell:space pairs (the cell's name in the sweep without its seed,
# e.g. quantise4-dtp-st-d4; the space file's name without .json). Each search runs into
# runs/depth-sweep-tune-<data>/<cell>/ and what results/ keeps (bench/keep-runs.sh) goes to
# results/depth-sweep-full/tune/<data>/<cell>/. Resumable: run it again with the same arguments.
# One core, one kernel thread (results are bit-identical for any count). Exit status 1 when a step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/depth-sweep-tune.sh mnist|fashion cell:space...}
shift
[ $# -gt 0 ] || { echo "bench/depth-sweep-tune.sh: name at least one cell:space pair" >&2; exit 2; }
sweep_file=experiments/depth-sweep-full-$data.json
[ -f "$sweep_file" ] || { echo "bench/depth-sweep-tune.sh: no sweep file $sweep_file (data: mnist or fashion)" >&2; exit 2; }
runs=runs/depth-sweep-tune-$data
kept=results/depth-sweep-full/tune/$data
export APICAL_NATIVE_THREADS=${APICAL_NATIVE_THREADS:-1}
status=0
source bench/keep-runs.sh

# The cells' experiment files, as the sweep writes them, in $runs/plan/experiments/: planned into a
# scratch folder and copied over only where they changed, so that a search running beside this one
# never reads a file half rewritten.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
node -e 'const { loadSweep, planSweep } = require("./dist/src/experiment/sweep"); planSweep(loadSweep(process.argv[1]), process.argv[2]);' \
  "$sweep_file" "$scratch" || exit 1
mkdir -p "$runs/plan/experiments"
for planned in "$scratch"/experiments/*.json; do
  cmp -s "$planned" "$runs/plan/experiments/${planned##*/}" || cp "$planned" "$runs/plan/experiments/"
done

for pair in "$@"; do
  cell=${pair%%:*} space=experiments/depth-sweep-spaces/${pair#*:}.json
  file=$runs/plan/experiments/depth-sweep-full-$data-$cell-s1.json
  [ -f "$file" ] || { echo "bench/depth-sweep-tune.sh: $sweep_file has no cell $cell" >&2; status=1; continue; }
  samples=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).training.evaluation?.samples ?? 1' "$file")
  node dist/src/cli/main.js tune "$file" --space "$space" --trials 12 --budget 20 --min-epochs 2 --jobs 1 \
    --set "training.evaluation={\"samples\":$samples,\"every\":1}" --out "$runs/$cell" || status=1
  keep "$runs/$cell" "$kept/$cell"
done
exit $status
