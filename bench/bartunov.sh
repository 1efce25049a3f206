#!/usr/bin/env bash
# Bartunov et al. (2018)'s MNIST comparison as issue 15 asks for it, on MNIST or Fashion-MNIST: for
# each rule, `apical tune` on validation (27 trials, successive halving with η = 3 up to 50 epochs,
# the search spaces of experiments/bartunov-mnist/spaces/), then the best trial's settings over
# seeds 1–3 with `apical compare`, each run to the file's 500 epochs or until validation error has
# not improved for 50 epochs (training.patience). Every run goes to runs/bartunov-<data>/ (full run
# folders), and what results/ keeps (each trial's and seed's metrics.jsonl, summary.json and
# config.json; trials.csv, tune.md, search.json, best.json; compare.md/csv) is copied to
# results/bartunov-<data>/.
#
#   npm run build && nohup bash bench/bartunov.sh mnist > runs/bartunov-mnist.log 2>&1 &
#   npm run build && nohup bash bench/bartunov.sh fashion-mnist dtp sdtp > runs/bartunov-fashion.log 2>&1 &
#
# Arguments: the data source (mnist or fashion-mnist, as "data.source" takes it), then the rules
# (default: bp fa dfa dtp sdtp ao-sdtp). Resumable: stopped or killed, run it again with the same
# arguments; finished trials and seeds are skipped, stopped ones continue from their checkpoints.
# One core, one kernel thread (APICAL_NATIVE_THREADS=1; results are bit-identical for any count):
# a search costs 0.7–1.2 CPU hours per rule on MNIST (RESULTS.md), the seeds 1–2 hours more.
# Exit status 1 when a step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/bartunov.sh mnist|fashion-mnist [rule...]}
shift
rules=("$@")
[ ${#rules[@]} -gt 0 ] || rules=(bp fa dfa dtp sdtp ao-sdtp)
runs=runs/bartunov-$data
kept=results/bartunov-$data
export APICAL_NATIVE_THREADS=${APICAL_NATIVE_THREADS:-1}
set_data=()
[ "$data" = mnist ] || set_data=(--set "data.source=$data")
status=0

# keep FROM TO: copies what results/ keeps of a search or a comparison.
source bench/keep-runs.sh

for rule in "${rules[@]}"; do
  node dist/src/cli/main.js tune "experiments/bartunov-mnist/$rule.json" --space "experiments/bartunov-mnist/spaces/$rule.json" \
    --trials 27 --budget 50 --min-epochs 5 --jobs 1 "${set_data[@]}" --out "$runs/tune-$rule" || status=1
  keep "$runs/tune-$rule" "$kept/tune-$rule"
  [ -f "$runs/tune-$rule/best.json" ] || { status=1; continue; }
  node dist/src/cli/main.js compare "$runs/tune-$rule/best.json" --seeds 3 --jobs 1 --set training.patience=50 \
    --out "$runs/seeds-$rule" || status=1
  keep "$runs/seeds-$rule" "$kept/seeds-$rule"
done
exit $status
