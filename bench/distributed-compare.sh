#!/usr/bin/env bash
# Wall time of one comparison (4 runs) run locally (--jobs 2) and through a BullMQ queue on a
# throwaway loopback Redis served by 1 and by 2 `apical worker` processes on this machine, in
# alternating rounds; the tables must be identical. Needs redis-server and `npm run build`.
#   bash bench/distributed-compare.sh [rounds] [port]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
port=${2:-6411}
out=$(mktemp -d)
apical() { node dist/src/cli/main.js "$@"; }
args=(experiments/mnist-dtp.json experiments/mnist-bp.json --seeds 2 --epochs 2 --train-limit 10000)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$out" >"$out/redis.log" 2>&1 &
redis=$!
trap 'kill $redis 2>/dev/null; rm -rf "$out"' EXIT
sleep 1
timed() { local s e; s=$(date +%s.%N); "$@" >"$out/last.log" 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
for round in $(seq "$rounds"); do
  echo "round $round local --jobs 2: $(timed apical compare "${args[@]}" --jobs 2 --out "$out/local-$round") s"
  for workers in 1 2; do
    queue="redis://127.0.0.1:$port/r$round-w$workers"
    pids=()
    for _ in $(seq "$workers"); do
      apical worker --queue "$queue" --store "$out/store-$round-$workers" >>"$out/workers.log" 2>&1 &
      pids+=($!)
    done
    echo "round $round queue, $workers worker(s): $(timed apical compare "${args[@]}" --queue "$queue" --out "$out/queue-$round-$workers") s"
    kill "${pids[@]}"
    wait "${pids[@]}" 2>/dev/null || true
  done
  for table in "$out"/local-"$round" "$out"/queue-"$round"-*; do cut -d, -f1-8 "$table/compare.csv" | md5sum; done
done
