"""CUBA (Vogels & Abbott 2005, as in Brian2's examples and /work/shared/peers): the network both Brian2
peers of bench/spiking.ts build (bench/cuba_brian2.py in runtime mode, bench/cuba_brian2_standalone.py
in C++ standalone mode), with the size, connection probability and resting potential as arguments."""
from brian2 import NeuronGroup, Synapses, SpikeMonitor, ms, mV


def cuba(N, p, El_mV):
    """The population P, its two projections and a spike monitor of P."""
    taum, taue, taui = 20*ms, 5*ms, 10*ms
    Vt, Vr, El = -50*mV, -60*mV, El_mV*mV
    eqs = '''dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt'''
    P = NeuronGroup(N, eqs, threshold='v>Vt', reset='v = Vr', refractory=5*ms, method='exact',
                    namespace={'taum': taum, 'taue': taue, 'taui': taui, 'Vt': Vt, 'Vr': Vr, 'El': El})
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0*mV
    P.gi = 0*mV
    namespace = {'we': (60*0.27/10)*mV, 'wi': (-20*4.5/10)*mV, 'Ne': int(N*0.8)}
    Ce = Synapses(P, P, on_pre='ge += we', namespace=namespace)
    Ci = Synapses(P, P, on_pre='gi += wi', namespace=namespace)
    Ce.connect('i<Ne', p=p, namespace=namespace)
    Ci.connect('i>=Ne', p=p, namespace=namespace)
    return P, Ce, Ci
