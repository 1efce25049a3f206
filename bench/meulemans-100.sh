#!/usr/bin/env bash
# Meulemans et al. (2020)'s reference code for the 100 epochs of their MNIST configs
# (final_configs/mnist_<config>.py, their random_seed 42, fp64, unmodified; bench/meulemans_peer.py
# drives it), one config after another on one core (OMP_NUM_THREADS=1), beside apical's 100-epoch
# runs of the same configs (`apical run experiments/meulemans-mnist/<config>.json`,
# results/meulemans-100/<config>-s1/). Their paper reports the test error at the epoch of best
# validation error over 100 epochs; their performance_overview.txt (acc_test_val_best) gives it, and
# bench/results-tables.ts recomputes it from peer.jsonl for RESULTS.md's 100-epoch table.
# Not part of the test suite.
#
#   nohup bash bench/meulemans-100.sh > runs/meulemans-100-peer.log 2>&1 &
#
# Environment as bench/meulemans-parity.sh (PEER, PYTHON, MNIST, CONFIGS, default all five:
# DTP 42 min, BP 21, DFA 28, DDTP-linear about 70, DRL about 90 minutes on one core of an AMD EPYC),
# OUT (default runs/meulemans-100-peer). A config whose peer.jsonl holds 100 epochs is not run
# again. What results/meulemans-100/<config>-peer-seed42/ keeps: peer.jsonl, their printed log,
# their resolved arguments (peer-args.json) and their performance_overview.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/meulemans-peer-env.sh
out=${OUT:-runs/meulemans-100-peer}
for pair in $configs; do
  theirs=${pair%%:*}
  dir=$out/$theirs
  mkdir -p "$dir"
  if [ "$(grep -c test_error "$dir/peer.jsonl" 2>/dev/null || true)" != 100 ]; then
    echo "peer $theirs: 100 epochs ($(date -u +%FT%TZ), $(uptime))"
    # Their DRL config sets gn_damping_hpsearch, which ends training after epoch 3 to choose the
    # damping of the Gauss-Newton angles it logs (lib/train.py: `if e == 2 and
    # args.gn_damping_hpsearch: ... return`); those angles are not saved (save_GN_angle False), so
    # the 100-epoch run turns the search off and changes nothing else.
    extra=()
    [ "$theirs" = DTPDRL ] && extra=(42 gn_damping_hpsearch=False)
    OMP_NUM_THREADS=1 "$python" bench/meulemans_peer.py "$peer" "mnist_$theirs" 100 "$dir/peer.jsonl" "$mnist" "${extra[@]}" > "$dir/peer.log" 2>&1
  fi
  keep=results/meulemans-100/$theirs-peer-seed42
  mkdir -p "$keep"
  cp "$dir/peer.jsonl" "$dir/peer.log" "$dir/logs/mnist_$theirs/performance_overview.txt" "$keep/"
  cp "$dir/logs/mnist_$theirs/args.txt" "$keep/peer-args.json"
done
