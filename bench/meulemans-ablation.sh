#!/usr/bin/env bash
# Which of Meulemans et al.'s protocol settings matter: each experiment of experiments/meulemans-mnist
# (seed 1, EPOCHS epochs, default 2) with one setting put back to what apical's older files used
# (`--set`), then writes OUT/ablation.md (test error after each
# epoch) and the kept files go to KEEP (default results/meulemans-parity/ablation).
#   npm run build && nohup bash bench/meulemans-ablation.sh > runs/meulemans-ablation.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${EPOCHS:-2}
out=${OUT:-runs/meulemans-ablation}
keep=${KEEP:-results/meulemans-parity/ablation}
# name | experiment | --set arguments
variants=(
  "bp|bp|"
  "bp-no-normalize|bp|--set data.normalize=null"
  "bp-validation-10000|bp|--set data.validation=10000"
  "bp-beta1-0.9|bp|--set optimizer.forward.beta1=0.9"
  "dtp|dtp|"
  "dtp-validation-last|dtp|--set data.validationPick=last"
  "dtp-readout-gradient-top|dtp|--set rule.top=readout-gradient"
  "dtp-no-normalize|dtp|--set data.normalize=null"
  "dtp-uncorrected-epsilon|dtp|--set optimizer.forward.correctedEpsilon=false --set optimizer.feedback.correctedEpsilon=false"
  "ddtp-linear-no-pretraining|ddtp-linear|--set training.feedbackEpochs=null --set training.extraFeedbackEpochs=null"
  "drl-readout-gradient-top|drl|--set rule.top=readout-gradient"
)
mkdir -p "$out" "$keep"
for variant in "${variants[@]}"; do
  IFS='|' read -r name file sets <<< "$variant"
  if [ ! -f "$out/$name/summary.json" ]; then
    # shellcheck disable=SC2086
    node dist/src/cli/main.js run "experiments/meulemans-mnist/$file.json" --epochs "$epochs" --seed 1 $sets --out "$out/$name" --force > "$out/$name.log" 2>&1
  fi
  mkdir -p "$keep/$name"
  cp "$out/$name/metrics.jsonl" "$out/$name/summary.json" "$out/$name/config.json" "$keep/$name/"
done
{
  echo "| variant (seed 1) | $(seq -s ' | ' -f 'test %% ep %g' 1 "$epochs") |"
  echo "|---|$(printf -- '---|%.0s' $(seq 1 "$epochs"))"
  for variant in "${variants[@]}"; do
    name=${variant%%|*}
    echo "| $name | $(node -e "const l=require('fs').readFileSync('$out/$name/metrics.jsonl','utf8').trim().split('\n').map(JSON.parse);console.log(l.map(r=>(100*r.test_error).toFixed(2)).join(' | '))") |"
  done
} > "$out/ablation.md"
cp "$out/ablation.md" "$keep/"
cat "$out/ablation.md"
