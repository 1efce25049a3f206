/**
 * Reconstruction recorder: every `every` epochs, takes `examples` fixed inputs, sweeps them up the
 * network into its own buffers, and decodes each population's activity back down to the input
 * through the learned decoders, x̂_l = g_1(g_2(… g_l(h_l))) (Bengio 2014: each layer's decoder
 * reconstructs the layer below; chained, they show what a population "means" in pixels). The
 * images are written as 8-bit greyscale (record/reconstructions.jsonl). It uses the network's
 * stateless `respond`/`decode`, so the training state is untouched.
 */
import { RunObserver } from '../engine/observer';
import { Examples, TrainerEvent } from '../engine/trainer';
import { DecoderPathway } from '../network/decoder';
import { Network } from '../network/network';
import { ReconstructionSample } from './formats';
import { JsonLinesFile } from './jsonl-file';

/** Pixels in [0, 1] as base64 bytes (clipped). */
function encode(pixels: Float32Array): string {
  const bytes = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) bytes[i] = Math.round(255 * Math.min(1, Math.max(0, pixels[i])));
  return Buffer.from(bytes).toString('base64');
}

export class ReconstructionRecorder implements RunObserver {
  private readonly input: Float32Array;
  private readonly examples: number[];
  /** activity[l]: h_l of the examples (l = 1 … L). */
  private readonly activity: Float32Array[];
  /** down[l]: scratch for decoding into population l's size (l = 0 is the input). */
  private readonly down: Float32Array[];
  private readonly decoders: DecoderPathway[];

  constructor(
    private readonly network: Network,
    data: Examples,
    private readonly file: JsonLinesFile,
    private readonly split: string,
    count = 6,
    private readonly every = 1,
    /** Image side, for square inputs (MNIST: 28). */
    private readonly side = Math.round(Math.sqrt(data.features)),
  ) {
    const decoders = network.feedback.slice(1, network.hidden.length + 1);
    if (!decoders.every((d): d is DecoderPathway => d instanceof DecoderPathway)) {
      throw new Error('record.reconstructions needs learned decoders down to the input (a rule with decoder feedback, e.g. dtp or tp)');
    }
    this.decoders = decoders;
    const rows = Math.min(count, data.count);
    this.examples = Array.from({ length: rows }, (_, i) => i);
    this.input = data.images.slice(0, rows * data.features);
    this.activity = [this.input, ...network.hidden.map((p) => new Float32Array(rows * p.size))];
    this.down = [new Float32Array(rows * data.features), ...network.hidden.map((p) => new Float32Array(rows * p.size))];
  }

  onEvent(event: TrainerEvent): void {
    if (event.kind !== 'epoch' || (event.record.epoch - 1) % this.every !== 0) return;
    const rows = this.examples.length;
    const hidden = this.network.hidden;
    hidden.forEach((p, i) => p.respond(rows, this.activity[i], this.activity[i + 1]));
    const decoded: Record<string, string> = {};
    hidden.forEach((p, i) => {
      let source = this.activity[i + 1];
      for (let l = i + 1; l >= 1; l--) {
        this.decoders[l - 1].decode(rows, source, this.down[l - 1]);
        source = this.down[l - 1];
      }
      decoded[p.name] = encode(this.down[0]);
    });
    const sample: ReconstructionSample = {
      epoch: event.record.epoch,
      width: this.side,
      height: this.side,
      examples: this.examples,
      split: this.split,
      original: encode(this.input),
      decoded,
    };
    this.file.write(sample);
  }

  close(): void {
    this.file.close();
  }
}
