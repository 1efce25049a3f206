#!/usr/bin/env python3
"""CUBA (Vogels & Abbott 2005) in Brian2's C++ standalone mode (generated C++, no Python per step; one
thread), the strongest Brian2 peer of `apical run experiments/cuba.json`: the network of
bench/cuba_brian2_network.py (and /work/shared/peers/cuba_brian2_standalone.py) with the size, the connection
probability and the resting potential as arguments.
Usage: cuba_brian2_standalone.py N SIM_SECONDS P EL_MV BUILD_DIR
Prints one JSON line: wall, the simulation's own run time (Brian2's device._last_run_time: the loop's CPU time, std::clock,
compilation and network construction excluded), setup (wall seconds of everything else: code generation,
compilation, building the network in the compiled program), peak_mib (the compiled program's peak
resident memory, through /usr/bin/time; null without it), spikes, synapses."""
import json, os, sys, time
from brian2 import *
from cuba_brian2_network import cuba
N, T, p, El_mV, build = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
set_device('cpp_standalone', directory=build)
prefs.devices.cpp_standalone.openmp_threads = 0
peak_file = os.path.join(os.path.abspath(build), 'peak_kb.txt')
if os.path.exists('/usr/bin/time'):
    prefs.devices.cpp_standalone.run_cmd_unix = ['/usr/bin/time', '-f', '%M', '-o', peak_file, './main']
seed(1)
t_start = time.perf_counter()
P, Ce, Ci = cuba(N, p, El_mV)
s_mon = SpikeMonitor(P)
run(T*second)
total = time.perf_counter() - t_start
loop = device._last_run_time
peak = float(open(peak_file).read().split()[-1]) / 1024 if os.path.exists(peak_file) else None
print(json.dumps({'wall': loop, 'setup': total - loop, 'peak_mib': peak,
                  'spikes': int(s_mon.num_spikes), 'synapses': int(len(Ce) + len(Ci))}))
