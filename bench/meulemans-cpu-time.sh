#!/usr/bin/env bash
# Per-epoch CPU time, apical against Meulemans et al. (2020)'s reference code (issue 15, item 3: each
# apical epoch at most 0.25x theirs), for each of their MNIST configs and apical's
# experiments/meulemans-mnist/ file beside it: their code (bench/meulemans_peer.py, unmodified, fp64,
# their seed 42) and apical (bench/experiment-epochs.ts on the whole 55,000-image training split),
# one right after the other (theirs first in odd rounds, apical first in even ones), config after
# config, each on one thread (OMP_NUM_THREADS=1: torch's intra- and inter-op threads;
# APICAL_NATIVE_THREADS=1), EPOCHS epochs each, ROUNDS rounds. Per epoch, process CPU seconds (user +
# system): theirs from their 'Training network' line to each epoch's test accuracy (training, extra
# feedback epochs, test and validation passes; epoch 1 also the feedback-only pre-training epochs),
# apical's training epoch (epoch 1 with its pre-training epochs) plus one evaluation of the
# validation and test images; start-up and data loading in neither. /usr/bin/time's user + system
# of each whole process (start-up and data loading included) is kept beside it. Then
# bench/meulemans-cpu-table.ts writes OUT/cpu-time.md from every round OUT holds. Not part of the
# test suite.
#
#   npm run build && nohup bash bench/meulemans-cpu-time.sh > runs/meulemans-cpu-time.log 2>&1 &
#
# Environment: as bench/meulemans-peer-env.sh (PEER, PYTHON, MNIST, CONFIGS), EPOCHS (default 2),
# ROUNDS (default 1), OUT (default runs/meulemans-cpu-time; round r in OUT/round<r>/<config>), KEEP
# (where results/ keeps their epochs files and logs, apical's measurements and the table; default
# results/meulemans-parity/cpu-time). A run whose files are complete is not run again (delete its
# peer.jsonl or apical/ to redo it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/meulemans-peer-env.sh
epochs=${EPOCHS:-2}
rounds=${ROUNDS:-1}
out=${OUT:-runs/meulemans-cpu-time}
keep=${KEEP:-results/meulemans-parity/cpu-time}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 APICAL_NATIVE_THREADS=1
theirs_run() {
  [ "$(grep -c cpu_seconds "$dir/peer.jsonl" 2>/dev/null || true)" = "$epochs" ] && return
  echo "round $round, peer $theirs: $epochs epochs ($(date -u +%H:%M:%S), $(uptime))"
  /usr/bin/time -f '%U %S %e' -o "$dir/peer.time" "$python" bench/meulemans_peer.py "$peer" "mnist_$theirs" "$epochs" "$dir/peer.jsonl" "$mnist" > "$dir/peer.log" 2>&1
}
apical_run() {
  [ -f "$dir/apical/summary.json" ] && return
  echo "round $round, apical $ours: $epochs epochs ($(date -u +%H:%M:%S), $(uptime))"
  /usr/bin/time -f '%U %S %e' -o "$dir/apical.time" node dist/bench/experiment-epochs.js "experiments/meulemans-mnist/$ours.json" \
    --images 55000 --epochs "$epochs" --out "$dir/apical" > "$dir/apical.log" 2>&1
}
for round in $(seq 1 "$rounds"); do
  for pair in $configs; do
    theirs=${pair%%:*} ours=${pair##*:}
    dir=$out/round$round/$theirs
    mkdir -p "$dir"
    if [ $((round % 2)) = 1 ]; then theirs_run; apical_run; else apical_run; theirs_run; fi
  done
done
node dist/bench/meulemans-cpu-table.js "$out" "$configs" > "$out/cpu-time.md"
for dir in "$out"/round*/*/; do
  kept=$keep/${dir#"$out"/}
  mkdir -p "$kept"
  cp "$dir"/peer.jsonl "$dir"/peer.log "$dir"/peer.time "$dir"/apical.time "$dir"/apical.log "$kept"
  cp -r "$dir/apical" "$kept"
done
cp "$out/cpu-time.md" "$keep/"
cat "$out/cpu-time.md"
