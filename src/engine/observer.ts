/**
 * Something that watches a training run from its edges: recorders, lesions, the live view. It is
 * handed every trainer event synchronously, in order (so an `epoch` event arrives after the
 * epoch's last step and before the next epoch's first), and subscribes to the circuit's streams
 * itself. `close` is called once when training ends or stops.
 */
import { TrainerEvent } from './trainer';

export interface RunObserver {
  onEvent(event: TrainerEvent): void;
  close(): void;
}
