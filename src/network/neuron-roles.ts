/**
 * The parts a learning network needs its hidden neuron model to have, by role, and the model's
 * names for them. A model declares nothing about roles; the experiment names them (network.roles),
 * and by default they are the names of models/neurons/lif-apical.json.
 *   threshold, rest   constants: the spike threshold Vt and the resting potential El (volts); the
 *                     gap Vt − El is one drive unit
 *   synapseTau        constant: the time constant of the synaptic variable (seconds)
 *   membrane          variable: the membrane potential, set to rest when a trial starts
 *   synapse           variable: what incoming spikes add to (cleared when a trial starts)
 *   basal, apical     variables: the bias (and input) drive, and the top-down drive of target phases
 */
import { CompiledModel } from '../equations/generator';

export interface NeuronRoles {
  readonly threshold: string;
  readonly rest: string;
  readonly synapseTau: string;
  readonly membrane: string;
  readonly synapse: string;
  readonly basal: string;
  readonly apical: string;
}

/** lif-apical.json's names. */
export const defaultNeuronRoles: NeuronRoles = { threshold: 'Vt', rest: 'El', synapseTau: 'taus', membrane: 'v', synapse: 'ge', basal: 'vb', apical: 'va' };

const constantRoles = ['threshold', 'rest', 'synapseTau'] as const;
const variableRoles = ['membrane', 'synapse', 'basal', 'apical'] as const;

/** Throws one line naming the model, the role and the missing name, if `model` lacks a role of `roles`. */
export function checkNeuronRoles(model: CompiledModel, roles: NeuronRoles): void {
  const name = model.model.name;
  for (const role of constantRoles) {
    if (!model.model.constants.has(roles[role])) throw new Error(`neuron model "${name}" has no constant "${roles[role]}" for the role ${role} (network.roles names the model's quantities)`);
  }
  for (const role of variableRoles) {
    if (!model.variableNames.includes(roles[role])) throw new Error(`neuron model "${name}" has no variable "${roles[role]}" for the role ${role} (network.roles names the model's quantities)`);
  }
}
