#!/bin/bash
# One-at-a-time screen around the tuned depth-8 stochastic trial (t001: 30.82% valid): each run reverts one setting to the recipe's value. 10 epochs, one run at a time.
cd "$(dirname "$0")/../../.."
export APICAL_NATIVE_THREADS=1
T="--set rule.stepGrowth=1.0448591768741609 --set optimizer.forward.lr=0.007936395827402229 --set optimizer.feedback.lr=0.0000038666601094405975 --set rule.topStep=82.15217356028407 --set rule.noise=0.1293267800920608"
run() { name=$1; shift; npm run -s apical -- run experiments/depth8-stochastic-st.json --out runs/screen-d8s/$name --force $T "$@" > runs/screen-d8s/$name.log 2>&1; echo "$name $(date) $(grep 'epoch 10/' runs/screen-d8s/$name.log)"; }
mkdir -p runs/screen-d8s
run noise0.5 --set rule.noise=0.5
run growth2 --set rule.stepGrowth=2
run topstep58 --set rule.topStep=58.4385169576
run fwdlr6.17e-3 --set optimizer.forward.lr=0.00617
run tuned-20epochs --epochs 20
echo done
