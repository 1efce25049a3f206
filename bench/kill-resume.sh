#!/usr/bin/env bash
# Kill-and-resume on a 784-240x7-10 DTP net (10,000 images, 6 epochs, a checkpoint every epoch):
# a reference run, then the same run SIGKILLed 4 times, each at a random moment within one epoch
# (as long as the reference run's epochs took) after its next epoch reached metrics.jsonl, resumed
# each time; then metrics (timing fields aside), every weights file
# and every recorder file are compared byte for byte. Needs `npm run build`.
#   bash bench/kill-resume.sh [experiment]   (default experiments/lesion-feedback.json: recorders
#                                            on, a feedback pathway silenced from epoch 4)
set -u
cd "$(dirname "$0")/.."
export OUT=$(mktemp -d)
# A plain command, not a shell function: `$!` of a backgrounded function is the subshell's pid, and
# SIGKILL to it would leave apical itself running.
apical=(node dist/src/cli/main.js)
args=("${1:-experiments/lesion-feedback.json}" --train-limit 10000 --epochs 6 --checkpoint-every 1)
"${apical[@]}" run "${args[@]}" --out "$OUT/ref" >"$OUT/ref.log" 2>&1
epoch_ms=$(python3 -c "import json,os; r=[json.loads(l) for l in open(os.environ['OUT']+'/ref/metrics.jsonl')]; print(max(1, round(1000*sum(x['seconds']+x['eval_seconds'] for x in r)/len(r))))")
echo "reference run: $epoch_ms ms per epoch"
lines() { if [ -f "$OUT/victim/metrics.jsonl" ]; then wc -l <"$OUT/victim/metrics.jsonl"; else echo 0; fi; }
RANDOM=2026
"${apical[@]}" run "${args[@]}" --out "$OUT/victim" >"$OUT/victim-0.log" 2>&1 &
pid=$!
for k in 1 2 3 4; do
  before=$(lines)
  while kill -0 $pid 2>/dev/null && [ "$(lines)" -le "$before" ]; do sleep 0.2; done
  delay=$((RANDOM % epoch_ms))
  sleep "$(echo "scale=3; $delay/1000" | bc)"
  if kill -0 $pid 2>/dev/null; then
    kill -9 $pid
    wait $pid 2>/dev/null
    echo "kill $k: $delay ms after epoch $((before + 1)) was written; metrics.jsonl has $(lines) lines"
  fi
  "${apical[@]}" resume "$OUT/victim" >"$OUT/victim-$k.log" 2>&1 &
  pid=$!
done
wait $pid
echo "final resume exit $?"
python3 - <<'PY'
import filecmp, json, os
out = os.environ['OUT']
def metrics(d):
    return [{k: v for k, v in json.loads(l).items() if k not in ('seconds', 'eval_seconds')} for l in open(f'{out}/{d}/metrics.jsonl')]
print('metrics identical:', metrics('ref') == metrics('victim'), len(metrics('ref')), 'epochs')
files = sorted(os.listdir(f'{out}/ref/weights'))
print('weights identical:', all(filecmp.cmp(f'{out}/ref/weights/{f}', f'{out}/victim/weights/{f}', shallow=False) for f in files), len(files), 'files')
if os.path.isdir(f'{out}/ref/record'):
    files = sorted(os.listdir(f'{out}/ref/record'))
    same = sorted(os.listdir(f'{out}/victim/record')) == files and all(filecmp.cmp(f'{out}/ref/record/{f}', f'{out}/victim/record/{f}', shallow=False) for f in files)
    print('recordings identical:', same, ', '.join(files))
PY
[ -n "${KEEP:-}" ] && echo "kept $OUT" || rm -rf "$OUT"
