#!/usr/bin/env bash
# Re-runs the headline table of README.md and RESULTS.md, which lost its files: Lee et al. (2015)'s
# 784-240×7-10 tanh network, 100 epochs, DTP over seeds 1–10, BP over seeds 1–3, TP and the released
# code's DTP (mnist-dtp-released) over seed 1. Each through `apical compare` into runs/headline/<name>
# (full run folders: weights, checkpoints, reports), then what results/ keeps — every finished run's
# metrics.jsonl, summary.json and config.json, and compare.md/csv — is copied into
# results/headline/<name>/.
#
# Resumable: stopped or killed, run it again with the same arguments; finished runs are skipped and
# stopped ones continue from their last checkpoint (apical compare), and the copy is redone.
#
#   npm run build && nohup bash bench/rerun-headline.sh > runs/headline.log 2>&1 &
#
# About 15 × 100 DTP/BP epochs of 3–4 s each on one kernel thread: 1.5–2 hours per core.
# Environment: JOBS (runs at a time, default 1), RUNS and RESULTS (the two folders, defaults above);
# APICAL_NATIVE_THREADS as for any run (results are bit-identical for any thread count). Further
# arguments go to every `apical compare`, e.g. `--epochs 1 --train-limit 500` for a quick check of the
# script itself (then point RUNS and RESULTS elsewhere). Exit status 1 when a run failed.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-1}
runs=${RUNS:-runs/headline}
kept=${RESULTS:-results/headline}
status=0

# headline NAME EXPERIMENT SEEDS [compare arguments...]
headline() {
  local name=$1 file=$2 seeds=$3
  shift 3
  node dist/src/cli/main.js compare "$file" --seeds "$seeds" --jobs "$jobs" --out "$runs/$name" "$@" || status=1
  mkdir -p "$kept/$name"
  cp "$runs/$name/compare.md" "$runs/$name/compare.csv" "$kept/$name/" || status=1
  for run in "$runs/$name"/*/; do
    [ -f "$run/summary.json" ] || continue
    mkdir -p "$kept/$name/$(basename "$run")"
    cp "$run/metrics.jsonl" "$run/summary.json" "$run/config.json" "$kept/$name/$(basename "$run")/" || status=1
  done
}

headline dtp experiments/mnist-dtp.json 10 "$@"
headline bp experiments/mnist-bp.json 3 "$@"
headline tp experiments/mnist-tp.json 1 "$@"
headline dtp-released experiments/mnist-dtp-released.json 1 "$@"
exit $status
