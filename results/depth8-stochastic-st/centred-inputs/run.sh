#!/bin/bash
# Forward projections reading a centred code (a layer's `inputCentre`, issue 17): the depth-16 stochastic cell of
# centred-decoders/ (the depth-8 search's best settings, γ 1.02, decoders reading the samples minus ½: 90.13% after
# 10 epochs, 67.61% after 20) with every population above h1 (the read-out included) reading what the population below
# sent minus a centre: ½ (fixed), or a running mean of the samples started at ½ (`{ start, rate }`, each bias shifted so
# the function is kept; input-centre.ts), and then the decoders reading the samples minus that same running mean (dtp
# `decoderCentre` "mean"); straight-through BP with the forward centring at depths 8 and 16; γ re-chosen at depth 16;
# the best at depth 8. Budget of the committed cells: the first 10,000 training images, seed 1, validation on the last
# 10,000. Runs go through bench/target-common-mode.ts (per-layer angles and common modes; training is bit-identical to
# `apical run`); straight-through BP through `apical run`. One run at a time; keeps config, metrics, summary,
# common-mode.jsonl, the last sample as a table, and layers-epochs.csv (report/layer-diagnostics.ts, each epoch's mean
# over its alignment samples).  Usage: run.sh [name …] (default: all).
cd "$(dirname "$0")/../../.."
export APICAL_NATIVE_THREADS=1
OUT=results/depth8-stochastic-st/centred-inputs
T="--set optimizer.forward.lr=0.007936395827402229 --set optimizer.feedback.lr=0.0000038666601094405975 --set rule.topStep=82.15217356028407 --set rule.noise=0.1293267800920608"
# model.layers with every population above h1 reading its input minus centre $1 (a JSON value), depth $2, sending $3 (default "sample").
layers() {
  send=${3:-\"sample\"}
  echo "--set model.name=stochastic-$2x240 --set model.layers=[{\"units\":\"sigmoid\",\"send\":$send,\"size\":240},{\"units\":\"sigmoid\",\"send\":$send,\"size\":240,\"repeat\":$(($2 - 1)),\"inputCentre\":$1},{\"size\":10,\"units\":\"softmax\",\"inputCentre\":$1}]"
}
# Straight-through samples (dx/dh := 1), for BP.
ST='{"name":"sample","derivative":"identity"}'

HALF=0.5
MEAN='{"start":0.5,"rate":0.01}'
# run NAME DEPTH ARGS…: DTP through the bench.
run() {
  name=$1; depth=$2; shift 2
  node dist/bench/target-common-mode.js experiments/depth8-stochastic-st.json --out runs/centred-inputs/$name --every 100 "$@" > runs/centred-inputs/$name.md 2> runs/centred-inputs/$name.log
  mkdir -p $OUT/$name
  cp runs/centred-inputs/$name/{config.json,metrics.jsonl,summary.json,common-mode.jsonl} runs/centred-inputs/$name.md $OUT/$name/
  node results/depth8-stochastic-st/layers-epochs.js $OUT/$name $depth
  echo "$name $(date)"
}
# bp NAME ARGS…: straight-through BP with the forward rate of depth-sweep-fair's stochastic bp-ste cells (the same
# experiment but for the model's and optimiser's feedback sections, which BP does not read), through `apical run`.
bp() {
  name=$1; shift
  node dist/src/cli/main.js run experiments/depth8-stochastic-st.json --out runs/centred-inputs/$name --force --set 'rule={"name":"bp"}' --set optimizer.forward.lr=0.00458495466364 "$@" > runs/centred-inputs/$name.log 2>&1
  mkdir -p $OUT/$name
  cp runs/centred-inputs/$name/{config.json,metrics.jsonl,summary.json} $OUT/$name/
  echo "$name $(date)"
}
# d<depth>-<centring>[-growth<γ>][-top<η̂>][-lr<forward rate>][-<E>epochs]: DTP with straight-through decoders at the
# depth-8 search's settings (T) but for the ones named (γ 1.02 when not named), the centring one of
#   decoders     the decoders read the samples minus ½ (centred-decoders/), the forward projections the samples;
#   half         both read the samples minus ½;
#   forwardmean  the decoders read the samples minus ½, the forward projections minus their running mean (MEAN);
#   mean         both read the samples minus the forward projections' running mean (decoderCentre "mean").
dtp() {
  [[ $1 =~ ^d([0-9]+)-([a-z]+)(-growth([0-9.]+))?(-top([0-9.]+))?(-lr([0-9.e]+))?(-([0-9]+)epochs)?$ ]] || { echo "unknown run $1"; return; }
  local depth=${BASH_REMATCH[1]} kind=${BASH_REMATCH[2]} growth=${BASH_REMATCH[4]:-1.02} top=${BASH_REMATCH[6]} lr=${BASH_REMATCH[8]} epochs=${BASH_REMATCH[10]}
  local centring
  case $kind in
    decoders) centring="--set rule.decoderCentre=0.5 $(layers 0 $depth)" ;;
    half) centring="--set rule.decoderCentre=0.5 $(layers $HALF $depth)" ;;
    forwardmean) centring="--set rule.decoderCentre=0.5 $(layers $MEAN $depth)" ;;
    mean) centring="--set rule.decoderCentre=mean $(layers $MEAN $depth)" ;;
    *) echo "unknown centring $kind"; return ;;
  esac
  run $1 $depth $T --set rule.stepGrowth=$growth ${top:+--set rule.topStep=$top} ${lr:+--set optimizer.forward.lr=$lr} ${epochs:+--set training.epochs=$epochs} $centring
}
mkdir -p runs/centred-inputs
ALL="d16-decoders d16-half d16-forwardmean d16-decoders-growth1.2 d16-decoders-growth1.3 d16-decoders-growth1.3-top41 d16-decoders-growth1.3-top164 d16-decoders-growth1.45 d16-half-growth1.3 d16-forwardmean-growth1.1 d16-forwardmean-growth1.2 d16-forwardmean-growth1.2-top41 d16-forwardmean-growth1.2-lr0.004 d16-forwardmean-growth1.3 d16-forwardmean-growth1.45 d16-mean-growth1.2 d16-mean-growth1.3 d16-decoders-growth1.2-20epochs d16-forwardmean-growth1.2-20epochs d16-mean-growth1.2-20epochs d8-forwardmean-growth1.0448591768741609-20epochs bp-d8-plain bp-d8-half bp-d8-mean bp-d16-half bp-d16-mean"
for name in ${@:-$ALL}; do
  case $name in
    bp-d8-plain) bp $name $(layers 0 8 "$ST") ;;
    bp-d8-half) bp $name $(layers $HALF 8 "$ST") ;;
    bp-d8-mean) bp $name $(layers $MEAN 8 "$ST") ;;
    bp-d16-half) bp $name $(layers $HALF 16 "$ST") ;;
    bp-d16-mean) bp $name $(layers $MEAN 16 "$ST") ;;
    *) dtp $name ;;
  esac
done
echo done
