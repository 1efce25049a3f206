#!/usr/bin/env python3
"""CUBA (Vogels & Abbott 2005) in Brian2, the peer of `apical run experiments/cuba.json`, for the
side-by-side benchmark bench/cuba.ts. The network of /work/shared/peers/cuba_brian2.py (bench/cuba_brian2_network.py), with
the size, the connection probability and the resting potential El as arguments (to scale N at ~80
synapses per neuron and to vary the firing rate), and the statistics apical reports.
Usage: cuba_brian2.py N SIM_SECONDS P EL_MV [numpy|cython]
Prints one JSON line: wall and cpu (process CPU seconds) of the simulation loop only, setup (wall seconds of network
construction, code generation, sympy's integrator and a 1 ms warm-up run, which is where Brian2 generates and
compiles its code: timing the first run() would count that as simulation), peak_mib (the process's peak resident
memory), spikes, mean_rate_hz, isi_cv (per-neuron CV of inter-spike intervals over neurons with at least two
intervals, averaged). The spikes of the warm-up millisecond are left out of the counts."""
import json, resource, sys, time
import numpy as np
from brian2 import *
from cuba_brian2_network import cuba
N, T, p, El_mV = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
prefs.codegen.target = sys.argv[5] if len(sys.argv) > 5 else 'cython'
seed(1)
t_setup = time.perf_counter()
P, Ce, Ci = cuba(N, p, El_mV)
run(1*ms)
s_mon = SpikeMonitor(P)
t0, c0 = time.perf_counter(), time.process_time(); run(T*second); wall, cpu = time.perf_counter() - t0, time.process_time() - c0
setup = t0 - t_setup
cvs = []
for train in s_mon.spike_trains().values():
    isi = np.diff(np.asarray(train))
    if len(isi) >= 2: cvs.append(isi.std() / isi.mean())
print(json.dumps({'wall': wall, 'cpu': cpu, 'setup': setup, 'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'spikes': int(s_mon.num_spikes), 'mean_rate_hz': s_mon.num_spikes / (N * T),
                  'isi_cv': float(np.mean(cvs)) if cvs else None, 'synapses': int(len(Ce) + len(Ci))}))
