"""Brunel (2000) model A in Brian2, the reference for experiments/brunel/*.json (same network, same
refractoriness: inputs arriving during the refractory period are ignored, as in the paper and
NEST's iaf_psc_delta; the external drive is a Poisson count per step, poisson(C_ext nu_ext dt)).
Connections are Bernoulli with p = 0.1 (Brian2 2.5 has no fixed in-degree); apical draws exactly
C_E and C_I inputs per neuron.

    /usr/bin/python3 bench/brunel_brian2.py G ETA SECONDS [SEED]

Prints one JSON line: per-population rates (Hz) and mean ISI CVs, the E rate's Welch spectrum peak
(0.1 ms bins, 1,024-sample Hann segments, half overlap; as src/metrics/spectrum.ts), loop seconds.
"""
import json
import sys
import time

import numpy as np
from brian2 import (NeuronGroup, PopulationRateMonitor, SpikeMonitor, Synapses, defaultclock, mV, ms,
                    prefs, run, seed as brian_seed)
from scipy.signal import welch

g, eta, seconds = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
brian_seed(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
prefs.codegen.target = 'cython'
defaultclock.dt = 0.1 * ms
N_E, N_I, C_E = 10000, 2500, 1000
tau, theta, V_r, tau_rp, J, D = 20 * ms, 20 * mV, 10 * mV, 2 * ms, 0.1 * mV, 1.5 * ms
nu_ext = eta * theta / (J * C_E * tau)
lam = float(C_E * nu_ext * defaultclock.dt)

neurons = NeuronGroup(N_E + N_I, 'dv/dt = -v / tau : volt (unless refractory)', threshold='v > theta',
                      reset='v = V_r', refractory=tau_rp, method='exact')
neurons.v = '20 * mV * rand()'
neurons.run_regularly('v += J * poisson(lam) * int(not_refractory)', when='before_thresholds')
E, I = neurons[:N_E], neurons[N_E:]
exc = Synapses(E, neurons, on_pre='v += J * int(not_refractory_post)', delay=D)
exc.connect(p=0.1)
inh = Synapses(I, neurons, on_pre='v -= g * J * int(not_refractory_post)', delay=D)
inh.connect(p=0.1)
spikes = SpikeMonitor(neurons)
rate_E = PopulationRateMonitor(E)
run(1 * ms)
start = time.perf_counter()
run(seconds * 1000 * ms)
loop = time.perf_counter() - start

trains = spikes.spike_trains()
def stats(indices):
    count = sum(len(trains[i]) for i in indices)
    cvs = []
    for i in indices:
        isi = np.diff(np.asarray(trains[i] / ms))
        if len(isi) >= 2:
            cvs.append(isi.std() / isi.mean())
    return {'rate_hz': count / (len(indices) * (seconds + 0.001)), 'isi_cv': float(np.mean(cvs)) if cvs else None}
rate = np.asarray(rate_E.rate)[10:]
f, p = welch(rate - rate.mean(), fs=1e4, window='hann', nperseg=1024, noverlap=512, detrend=False)
k = 1 + int(np.argmax(p[1:]))
print(json.dumps({'g': g, 'eta': eta, 'seconds': seconds, 'E': stats(range(N_E)), 'I': stats(range(N_E, N_E + N_I)),
                  'rate_E_1ms_std_hz': float(rate[: len(rate) // 10 * 10].reshape(-1, 10).mean(1).std()),
                  'spectrum_peak_hz': float(f[k]), 'spectrum_peak_over_mean': float(p[k] / p[1:].mean()), 'loop_seconds': loop}))
