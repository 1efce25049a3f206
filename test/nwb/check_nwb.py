"""Reads an NWB file written by `apical export` with h5py and checks it against the run folder.

usage: check_nwb.py FILE.nwb RUN_DIR

Checks the layout pynwb requires of an NWB 2.x file (root attributes, the required datasets and
groups, neurodata_type / namespace / object_id on every typed object, the Units table's columns
and the VectorIndex's reference to spike_times) and the numbers against the run's own files:
spike times per neuron against monitors/*.u32 (step * dt), state traces and population rates
against monitors/*.f64, a rate network's activity and targets against record/activity.jsonl.
Prints a JSON summary of what it checked; any mismatch fails an assert (exit status 1).
"""
import json
import os
import sys

import h5py
import numpy as np

nwb_file, run_dir = sys.argv[1], sys.argv[2]
f = h5py.File(nwb_file, "r")
summary = {"units": 0, "spikes": 0, "series": [], "typed": 0}


def text(dataset):
    value = dataset[()]
    return value.decode() if isinstance(value, bytes) else str(value)


# The file itself.
assert f.attrs["neurodata_type"] == "NWBFile" and f.attrs["namespace"] == "core", dict(f.attrs)
assert str(f.attrs["nwb_version"]).startswith("2."), f.attrs["nwb_version"]
for name in ["identifier", "session_description", "session_start_time", "timestamps_reference_time"]:
    assert f[name].shape == () and text(f[name]), name
assert np.datetime64(text(f["session_start_time"]).rstrip("Z"))
assert f["file_create_date"].shape == (1,)
for name in ["acquisition", "analysis", "processing", "stimulus/presentation", "stimulus/templates", "general"]:
    assert isinstance(f[name], h5py.Group), name
config_file = os.path.join(run_dir, "config.json")
if os.path.exists(config_file):
    assert json.loads(text(f["general/notes"])) == json.load(open(config_file)), "general/notes is not config.json"

# Every typed object names its type, namespace and a unique object_id.
ids = set()


def visit(name, obj):
    if "neurodata_type" not in obj.attrs:
        return
    assert obj.attrs["namespace"] in ("core", "hdmf-common"), name
    object_id = obj.attrs["object_id"]
    assert object_id not in ids, f"{name}: object_id used twice"
    ids.add(object_id)
    if obj.attrs["neurodata_type"] == "TimeSeries":
        assert "unit" in obj["data"].attrs and ("starting_time" in obj or "timestamps" in obj), name
        if "starting_time" in obj:
            assert obj["starting_time"].attrs["unit"] == "seconds" and obj["starting_time"].attrs["rate"] > 0, name
        else:
            assert len(obj["timestamps"]) == obj["data"].shape[0], name


f.visititems(visit)
summary["typed"] = len(ids) + 1

# Spiking monitors.
manifest_file = os.path.join(run_dir, "monitors", "manifest.json")
if os.path.exists(manifest_file):
    manifest = json.load(open(manifest_file))
    dt = manifest["dt"]
    folder = os.path.dirname(manifest_file)
    units = f["units"]
    assert units.attrs["neurodata_type"] == "Units"
    assert list(units.attrs["colnames"]) == ["spike_times", "population", "neuron"]
    assert units["spike_times"].attrs["neurodata_type"] == "VectorData"
    assert units["spike_times_index"].attrs["neurodata_type"] == "VectorIndex"
    assert units["id"].attrs["neurodata_type"] == "ElementIdentifiers"
    assert f[units["spike_times_index"].attrs["target"]].name == "/units/spike_times"
    times = units["spike_times"][:]
    ends = units["spike_times_index"][:]
    neurons = units["neuron"][:]
    populations = [p.decode() if isinstance(p, bytes) else p for p in units["population"][:]]
    row = 0
    for m in manifest["monitors"]:
        path = lambda name: os.path.join(folder, name)
        if m["kind"] == "spikes":
            steps = np.fromfile(path(m["files"]["step"]), "<u4")
            index = np.fromfile(path(m["files"]["index"]), "<u4")
            assert len(steps) == m["count"]
            for neuron in range(m["size"]):
                start = ends[row - 1] if row > 0 else 0
                assert populations[row] == m["population"] and neurons[row] == neuron
                expected = steps[index == neuron] * dt
                assert np.array_equal(times[start : ends[row]], expected), f"spike times of neuron {neuron}"
                row += 1
            summary["spikes"] += int(m["count"])
        elif m["kind"] == "state":
            for v in m["variables"]:
                series = f[f"acquisition/{m['name']}_{v}"]
                values = np.fromfile(path(m["files"][v]), "<f8").reshape(m["rows"], len(m["indices"]))
                assert np.array_equal(series["data"][:], values), f"{m['name']} {v}"
                assert series["data"].attrs["unit"] == m["units"][v]
                assert np.isclose(series["starting_time"].attrs["rate"], 1 / (m["every"] * dt), rtol=1e-6)
                summary["series"].append(series.name)
        elif m["kind"] == "rate":
            series = f[f"processing/spiking/{m['name']}"]
            assert np.array_equal(series["data"][:], np.fromfile(path(m["file"]), "<f8")), m["name"]
            assert series["data"].attrs["unit"] == "Hz"
            assert np.isclose(series["starting_time"].attrs["rate"], 1 / (m["bin_steps"] * dt), rtol=1e-6)
            summary["series"].append(series.name)
    assert row == len(ends), "units beyond the monitors"
    summary["units"] = row

# A rate network's recorded activity.
activity_file = os.path.join(run_dir, "record", "activity.jsonl")
if os.path.exists(activity_file):
    samples = [json.loads(line) for line in open(activity_file) if line.strip()]
    for population in sorted({s["population"] for s in samples}):
        mine = [s for s in samples if s["population"] == population]
        for key, name in [("activity", "activity"), ("topDown", "top_down"), ("target", "target")]:
            if all(s[key] is None for s in mine):
                assert f"processing/training/{population}_{name}" not in f
                continue
            series = f[f"processing/training/{population}_{name}"]
            expected = np.array([s[key] if s[key] is not None else np.full((len(s["rows"]), len(s["units"])), np.nan) for s in mine], dtype=float)
            assert np.array_equal(series["data"][:], expected, equal_nan=True), f"{population} {name}"
            steps = [(s["epoch"] - 1) * s["steps"] + s["step"] for s in mine]
            assert np.array_equal(series["timestamps"][:], steps)
            summary["series"].append(series.name)

print(json.dumps(summary))
