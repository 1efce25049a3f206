/**
 * Weight recorder: after every epoch, statistics and histograms of every weight matrix (forward W_l
 * and learned feedback V_l) and of its change over the epoch (record/weights.jsonl). A copy of the
 * weights at the start of the epoch is the only memory it holds, allocated once (and registered as
 * state, so a run resumed mid-epoch measures the epoch's update from the same start).
 */
import { RunObserver } from '../engine/observer';
import { TrainerEvent } from '../engine/trainer';
import { Network } from '../network/network';
import { WeightStats } from './formats';
import { statistics } from './histogram';
import { JsonLinesFile } from './jsonl-file';

export class WeightRecorder implements RunObserver {
  private readonly projections;
  private readonly start: Float32Array[];

  constructor(
    network: Network,
    private readonly file: JsonLinesFile,
    private readonly bins = 40,
  ) {
    this.projections = network.projections();
    this.start = this.projections.map((p) => network.state.register(`record/weights/${p.name}`, Float32Array.from(p.weights)));
  }

  onEvent(event: TrainerEvent): void {
    if (event.kind !== 'epoch') return;
    this.projections.forEach((projection, i) => {
      const stats: WeightStats = {
        epoch: event.record.epoch,
        name: projection.name,
        values: statistics(projection.weights, this.bins),
        update: statistics(projection.weights, this.bins, this.start[i]),
      };
      this.file.write(stats);
      this.start[i].set(projection.weights);
    });
  }

  close(): void {
    this.file.close();
  }
}
