#!/bin/bash
# Where the γ = 1 alternation of straight-through DTP targets comes from (issue 17): bench/target-common-mode.ts
# on the depth-8 stochastic cell of depth-sweep-fair-st at γ = 1 (Lee et al.'s stochastic settings, 2 epochs) and
# with one factor switched off at a time; the tuned trial and its σ = 0.5 variant over 10 epochs; the depth-4 sign
# net at γ = 1 for comparison. One run at a time; keeps config, metrics, summary, common-mode.jsonl and the table.
cd "$(dirname "$0")/../../.."
export APICAL_NATIVE_THREADS=1
OUT=results/depth8-stochastic-st/common-mode
G1="--set rule.stepGrowth=1 --set optimizer.forward.lr=0.00308740019447 --set training.epochs=2 --every 25"
T="--set rule.stepGrowth=1.0448591768741609 --set optimizer.forward.lr=0.007936395827402229 --set optimizer.feedback.lr=0.0000038666601094405975 --set rule.topStep=82.15217356028407 --set rule.noise=0.1293267800920608 --every 100"
run() {
  name=$1; file=$2; shift 2
  node dist/bench/target-common-mode.js "$file" --out runs/common-mode/$name "$@" > runs/common-mode/$name.md 2> runs/common-mode/$name.log
  mkdir -p $OUT/$name
  cp runs/common-mode/$name/{config.json,metrics.jsonl,summary.json,common-mode.jsonl} runs/common-mode/$name.md $OUT/$name/
  echo "$name $(date)"
}
mkdir -p runs/common-mode
run gamma1 experiments/depth8-stochastic-st.json $G1
run gamma1-frozen-decoders experiments/depth8-stochastic-st.json $G1 --set optimizer.feedback.lr=1e-30
run gamma1-decoders-read-h experiments/depth8-stochastic-st.json $G1 --set model.feedback.input=null
run gamma1-no-input-noise experiments/depth8-stochastic-st.json $G1 --set training.inputNoise=null
run tuned experiments/depth8-stochastic-st.json $T
run tuned-noise0.5 experiments/depth8-stochastic-st.json $T --set rule.noise=0.5
run sign-depth4-gamma1 experiments/mnist-sign-depth4-dtp-st.json --set data.trainLimit=10000 --set training.epochs=2 --every 25
echo done
