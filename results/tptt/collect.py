"""Collects the runs of results/tptt/run.sh (or run-full-budget.sh) into results/ and tabulates them.

For each task, length and rule: the fraction of seeds that solve the task by the released TPTT code's
criterion (Manchev & Spratling 2020, nmanchev/tptt: the validation error reaches 0, i.e. below
0.0001%), and the iterations (minibatches of 20) at the first validation that does (an epoch is 100
minibatches, the code's check interval), with the budget each run had (its experiment's epochs × 100)
and the training seconds it took. Runs stopped before their end (interrupted) are left out. Copies each run's metrics.jsonl and summary.json (weights and
reports stay in runs/) and each cell's compare.md/csv, and writes table.md and table.csv.

usage (from the project root):
  python3 results/tptt/collect.py                          runs/tptt/<task>-T<n> → results/tptt/
  python3 results/tptt/collect.py runs/tptt/full-budget    → results/tptt/full-budget/
"""
import csv
import glob
import json
import os
import re
import shutil
import sys

RUNS = sys.argv[1] if len(sys.argv) > 1 else "runs/tptt"
HERE = "results/tptt" + RUNS[len("runs/tptt"):]
TASKS = ("temporal-order", "temporal-order-3bit", "adding", "permutation")


def cells():
    """(task, length, folder) for every cell folder <task>-T<length>, in task then length order."""
    found = []
    for folder in glob.glob(f"{RUNS}/*-T*"):
        match = re.fullmatch(r"(.+)-T(\d+)", os.path.basename(folder))
        if match and match.group(1) in TASKS:
            found.append((match.group(1), int(match.group(2)), folder))
    return sorted(found, key=lambda c: (TASKS.index(c[0]), c[1]))


rows = []
for task, length, folder in cells():
    target_cell = f"{HERE}/{os.path.basename(folder)}"
    for rule in ("tptt", "bptt"):
        runs = sorted(glob.glob(f"{folder}/seq-{task}-{rule}-s*"), key=lambda r: int(r.rsplit("-s", 1)[1]))
        finished = [r for r in runs if os.path.exists(f"{r}/summary.json") and not json.load(open(f"{r}/summary.json"))["interrupted"]]
        if not finished:
            continue
        solved, iterations, budgets, seconds = 0, [], set(), 0.0
        for run in finished:
            target = f"{target_cell}/{os.path.basename(run)}"
            os.makedirs(target, exist_ok=True)
            for name in ("metrics.jsonl", "summary.json"):
                shutil.copy(f"{run}/{name}", target)
            summary = json.load(open(f"{run}/summary.json"))
            budgets.add(summary["epochs"] * 100)
            seconds += summary["training_seconds"]
            records = [json.loads(line) for line in open(f"{run}/metrics.jsonl")]
            first = next((r["epoch"] for r in records if r["valid_error"] == 0), None)
            if first is not None:
                solved += 1
                iterations.append(first * 100)
        iterations.sort()
        rows.append({
            "task": task,
            "length": length,
            "rule": rule,
            "seeds": len(finished),
            "budget_iterations": "/".join(str(b) for b in sorted(budgets)),
            "solved": solved,
            "success_rate": solved / len(finished),
            "median_iterations_to_solve": iterations[len(iterations) // 2] if iterations else None,
            "iterations_to_solve": " ".join(str(i) for i in iterations),
            "training_seconds": round(seconds, 1),
        })
    for name in ("compare.md", "compare.csv"):
        if os.path.exists(f"{folder}/{name}"):
            os.makedirs(target_cell, exist_ok=True)
            shutil.copy(f"{folder}/{name}", f"{target_cell}/{name}")

with open(f"{HERE}/table.csv", "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)
with open(f"{HERE}/table.md", "w") as out:
    out.write("| task | T | rule | seeds | budget (iterations) | solved | success rate | median iterations to solve | iterations to solve, each solved seed | training seconds, all seeds |\n")
    out.write("|---|--:|---|--:|--:|--:|--:|--:|---|--:|\n")
    for r in rows:
        median = r["median_iterations_to_solve"]
        out.write(
            f"| {r['task']} | {r['length']} | {r['rule']} | {r['seeds']} | {r['budget_iterations']} | {r['solved']} | {r['success_rate']:.0%} "
            f"| {median if median is not None else '—'} | {r['iterations_to_solve'] or '—'} | {r['training_seconds']} |\n"
        )
print(open(f"{HERE}/table.md").read())
