#!/bin/sh
# Copy the finished cells of a full depth sweep's run folder into results/ (config.json, metrics.jsonl,
# summary.json of every cell whose summary says it ran to the end), where bench/results-tables.ts reads
# them, and the sweep's own tables (sweep.csv, sweep.md, the per-layer diagnostics sweep-layers.csv and
# sweep-layers-epochs.csv); copied back into a run folder, the cells let `apical sweep` skip them.
#   sh results/depth-sweep-full/copy-cells.sh runs/depth-sweep-full-fashion fashion
set -e
from=${1:?usage: copy-cells.sh <sweep run folder> mnist|fashion}
data=${2:?usage: copy-cells.sh <sweep run folder> mnist|fashion}
to="$(dirname "$0")/$data/cells"
mkdir -p "$to"
for cell in "$from"/depth-sweep-full-"$data"-*; do
  [ -f "$cell/summary.json" ] || continue
  grep -q '"interrupted": false' "$cell/summary.json" || continue
  name=$(basename "$cell")
  mkdir -p "$to/$name"
  cp "$cell/config.json" "$cell/metrics.jsonl" "$cell/summary.json" "$to/$name/"
done
for table in sweep.csv sweep.md sweep-layers.csv sweep-layers-epochs.csv; do
  [ -f "$from/$table" ] && cp "$from/$table" "$(dirname "$to")/"
done
echo "$(ls "$to" | wc -l) cells in $to"
