#!/bin/bash
# Decoders reading a centred code (dtp `decoderCentre` ½, issue 17): the depth-8 stochastic cell of depth-sweep-fair-st
# at γ = 1 (Lee et al.'s stochastic settings) and at the search's best settings, and the depth-16 stochastic cell of
# depth-sweep-fair-d16-more (the best settings, γ 1.02), each the committed cell's budget (10,000 images, 10 epochs,
# seed 1) with every decoder reading its samples minus ½; then the tuned cell to 20 epochs, with the recipe's probe
# noise σ 0.5, and the depth-4 recipe (γ 2, the experiment file as it is), and the depth-16 cell to 20 epochs (screen/,
# depth-sweep-fair-st and depth-sweep-fair-d16-more hold those cells without the centre), through bench/target-common-mode.ts (the per-layer angles;
# training is bit-identical to `apical run`). One run at a time; keeps config, metrics, summary, common-mode.jsonl
# and the last sample as a table, and layers-epochs.csv: sweep-layers-epochs.csv's columns for the run
# (report/layer-diagnostics.ts, each epoch's mean over its alignment samples).  Usage: run.sh [name …] (default: all).
cd "$(dirname "$0")/../../.."
export APICAL_NATIVE_THREADS=1
OUT=results/depth8-stochastic-st/centred-decoders
C="--set rule.decoderCentre=0.5 --every 100"
G1="--set rule.stepGrowth=1 --set optimizer.forward.lr=0.00308740019447"
T="--set rule.stepGrowth=1.0448591768741609 --set optimizer.forward.lr=0.007936395827402229 --set optimizer.feedback.lr=0.0000038666601094405975 --set rule.topStep=82.15217356028407 --set rule.noise=0.1293267800920608"
D16=(--set model.name=stochastic-16x240 --set 'model.layers=[{"units":"sigmoid","send":"sample","size":240,"repeat":16},{"size":10,"units":"softmax"}]')
run() {
  name=$1; depth=$2; shift 2
  node dist/bench/target-common-mode.js experiments/depth8-stochastic-st.json --out runs/centred/$name "$@" > runs/centred/$name.md 2> runs/centred/$name.log
  mkdir -p $OUT/$name
  cp runs/centred/$name/{config.json,metrics.jsonl,summary.json,common-mode.jsonl} runs/centred/$name.md $OUT/$name/
  node results/depth8-stochastic-st/layers-epochs.js $OUT/$name $depth
  echo "$name $(date)"
}
mkdir -p runs/centred
for name in ${@:-gamma1 tuned d16-growth1.02 tuned-20epochs tuned-noise0.5 recipe-growth2 d16-growth1.02-20epochs}; do
  case $name in
    gamma1) run gamma1 8 $G1 $C ;;
    tuned) run tuned 8 $T $C ;;
    d16-growth1.02) run d16-growth1.02 16 $T --set rule.stepGrowth=1.02 "${D16[@]}" $C ;;
    tuned-20epochs) run tuned-20epochs 8 $T --set training.epochs=20 $C ;;
    tuned-noise0.5) run tuned-noise0.5 8 $T --set rule.noise=0.5 $C ;;
    recipe-growth2) run recipe-growth2 8 $C ;;
    d16-growth1.02-20epochs) run d16-growth1.02-20epochs 16 $T --set rule.stepGrowth=1.02 "${D16[@]}" --set training.epochs=20 $C ;;
  esac
done
echo done
