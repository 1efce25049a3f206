/**
 * A population of spiking neurons (Brian2's NeuronGroup): N copies of one compiled model, its state
 * in one Float64Array per variable (SI units), and a stream of spike events, one per step.
 *
 * Each step the engine calls, for every group, update() (state update + threshold), then emit()
 * (the group's event reaches its synapses and monitors), then reset(): Brian2's schedule
 * (groups, thresholds, synapses, resets).
 */
import { Subject } from 'rxjs';
import { codeGenerator } from '../equations/compile';
import { EquationError } from '../equations/expression';
import { CompiledModel, Delivery, StepFunction } from '../equations/generator';
import { initialStatements } from '../equations/model';
import { RngState, streamState } from '../kernels/random';

/** The neurons of one population that spiked in one step. */
export interface SpikeEvent {
  readonly step: number;
  readonly population: string;
  /** Indices of the neurons that spiked, ascending. A view valid until the group's next step: copy to keep. */
  readonly indices: Uint32Array;
}

export class NeuronGroup {
  readonly state: Float64Array[];
  /** How many more steps each neuron stays refractory (0: it can spike). */
  readonly refractory: Int32Array;
  /** One event per step, after the threshold, even when no neuron spiked. */
  readonly spikes$ = new Subject<SpikeEvent>();
  protected readonly spikeBuffer: Uint32Array;
  protected count = 0;
  /** How many of the spikes in spikeBuffer still await their reset (deferred by advance()). */
  private pendingReset = 0;
  private readonly stream: RngState;

  /** `seed` and the group's name name its random stream (`population/<name>`). */
  constructor(readonly name: string, readonly size: number, readonly compiled: CompiledModel, seed: number) {
    this.state = compiled.variableNames.map(() => new Float64Array(size));
    this.refractory = new Int32Array(size);
    this.spikeBuffer = new Uint32Array(size);
    this.stream = streamState(seed, `population/${name}`);
  }

  /** The live state of the group's random stream (copy it to replay the same draws later). */
  get randomState(): RngState {
    return this.stream;
  }

  /** The array of variable `name` (SI values). */
  variable(name: string): Float64Array {
    const k = this.compiled.variableNames.indexOf(name);
    if (k < 0) throw new EquationError(`population "${this.name}": no variable "${name}" (it has ${this.compiled.variableNames.join(', ')})`);
    return this.state[k];
  }

  /**
   * Sets initial values, e.g. { v: "Vr + rand()*(Vt - Vr)", ge: "0 mV" }, evaluated neuron by neuron
   * in index order with the group's own stream (`population/<name>/init`), dimension-checked.
   */
  initialise(values: Readonly<Record<string, string>>, seed: number): void {
    const model = this.compiled.model;
    const where = `population "${this.name}", initial values`;
    const assign = codeGenerator().neuronStatements(model, this.compiled.dt, initialStatements(model, values, where), where);
    const all = new Uint32Array(this.size).map((_, i) => i);
    assign(all, this.size, this.size, this.state, 0, streamState(seed, `population/${this.name}/init`));
  }

  /** State update and threshold for step `step`; returns the number of neurons that spiked. */
  update(step: number): number {
    this.count = this.compiled.update(this.size, this.state, this.refractory, step, this.stream, this.spikeBuffer);
    return this.count;
  }

  /** Sends this step's spikes to subscribers (synapses, monitors). */
  emit(step: number): void {
    this.spikes$.next({ step, population: this.name, indices: this.spikeBuffer.subarray(0, this.count) });
  }

  /** Runs the model's reset statements on the neurons that spiked this step. */
  reset(step: number): void {
    if (this.count > 0) this.compiled.reset(this.spikeBuffer, this.count, this.size, this.state, step, this.stream);
  }

  /**
   * The group's update, reset and `deliveries` (Synapses whose source is this group) as one call per
   * step over the group's arrays, when the compiled model offers it (CompiledModel.stepper);
   * undefined otherwise.
   */
  fuse(deliveries: readonly Delivery[]): StepFunction | undefined {
    return this.compiled.stepper?.({ n: this.size, state: this.state, refractory: this.refractory, stream: this.stream, spikes: this.spikeBuffer }, deliveries);
  }

  /**
   * Step `step` through a function from fuse(): the previous step's reset (if deferReset() left
   * one), the update and the deliveries in one call; returns the number of neurons that spiked.
   */
  advance(fused: StepFunction, step: number): number {
    this.count = fused(step, this.pendingReset, step - 1);
    this.pendingReset = 0;
    return this.count;
  }

  /** Leaves this step's reset to the next advance() (or flushReset()). */
  deferReset(): void {
    this.pendingReset = this.count;
  }

  /** Runs a reset deferred from step `step`, if any. */
  flushReset(step: number): void {
    if (this.pendingReset > 0) this.compiled.reset(this.spikeBuffer, this.pendingReset, this.size, this.state, step, this.stream);
    this.pendingReset = 0;
  }
}

