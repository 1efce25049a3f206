# keep FROM TO (sourced by the bench scripts that run searches): what results/ keeps of the run
# folders under FROM (each run's and trial's metrics.jsonl, summary.json, config.json) and FROM's
# tables (trials.csv, tune.md, search.json, best.json, compare.md/csv). Sets status=1 when a copy fails.
keep() {
  local from=$1 to=$2
  mkdir -p "$to"
  for table in trials.csv tune.md search.json best.json compare.md compare.csv; do
    [ -f "$from/$table" ] && cp "$from/$table" "$to/"
  done
  for run in "$from"/*/ "$from"/trials/*/; do
    [ -f "$run/summary.json" ] || continue
    local name=${run#"$from"/}
    mkdir -p "$to/$name"
    cp "$run/metrics.jsonl" "$run/summary.json" "$run/config.json" "$to/$name" || status=1
  done
}
