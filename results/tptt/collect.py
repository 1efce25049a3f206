"""Collects the temporal-order runs of results/tptt/run.sh into this folder and tabulates them.

For each length and rule: the fraction of seeds that solve the task by the released TPTT code's
criterion (Manchev & Spratling 2020, nmanchev/tptt: the validation error reaches 0, i.e. below
0.0001%), and the iterations (minibatches of 20) at the first validation that does (an epoch is 100
minibatches, the code's check interval). Copies each run's metrics.jsonl and summary.json here
(weights and reports stay in runs/), and writes table.md and table.csv.

usage: python3 results/tptt/collect.py   (from the project root)
"""
import csv
import glob
import json
import os
import shutil

RUNS, HERE = "runs/tptt", "results/tptt"
rows = []
for folder in sorted(glob.glob(f"{RUNS}/temporal-order-T*"), key=lambda f: int(f.rsplit("T", 1)[1])):
    length = int(folder.rsplit("T", 1)[1])
    for rule in ("tptt", "bptt"):
        runs = sorted(glob.glob(f"{folder}/seq-temporal-order-{rule}-s*"))
        finished = [r for r in runs if os.path.exists(f"{r}/summary.json")]
        solved, iterations, epochs = 0, [], None
        for run in finished:
            target = f"{HERE}/{os.path.basename(folder)}/{os.path.basename(run)}"
            os.makedirs(target, exist_ok=True)
            for name in ("metrics.jsonl", "summary.json"):
                shutil.copy(f"{run}/{name}", target)
            records = [json.loads(line) for line in open(f"{run}/metrics.jsonl")]
            epochs = len(records)
            first = next((r["epoch"] for r in records if r["valid_error"] == 0), None)
            if first is not None:
                solved += 1
                iterations.append(first * 100)
        if not finished:
            continue
        iterations.sort()
        rows.append({
            "length": length,
            "rule": rule,
            "seeds": len(finished),
            "epochs": epochs,
            "solved": solved,
            "success_rate": solved / len(finished),
            "median_iterations_to_solve": iterations[len(iterations) // 2] if iterations else None,
        })
    for name in ("compare.md", "compare.csv"):
        if os.path.exists(f"{folder}/{name}"):
            os.makedirs(f"{HERE}/{os.path.basename(folder)}", exist_ok=True)
            shutil.copy(f"{folder}/{name}", f"{HERE}/{os.path.basename(folder)}/{name}")

with open(f"{HERE}/table.csv", "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)
with open(f"{HERE}/table.md", "w") as out:
    out.write("| T | rule | seeds | budget (iterations) | solved | success rate | median iterations to solve |\n|--:|---|--:|--:|--:|--:|--:|\n")
    for r in rows:
        median = r["median_iterations_to_solve"]
        out.write(f"| {r['length']} | {r['rule']} | {r['seeds']} | {r['epochs'] * 100} | {r['solved']} | {r['success_rate']:.0%} | {median if median is not None else '—'} |\n")
print(open(f"{HERE}/table.md").read())
