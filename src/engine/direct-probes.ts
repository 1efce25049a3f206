/**
 * Probes of direct feedback pathways (DDTP, network/direct-decoder.ts), part of the forward sweep's
 * phase 2: once the read-out has responded, each population j reached by a direct decoder is probed
 * with noise, h̃_j = h_j + ε (stream "<h_j>/direct-noise"), the populations above respond in turn up
 * to the read-out, and the decoder learns from the clean and noisy outputs (as log-probabilities).
 */
import { filter, map, Observable } from 'rxjs';
import { kernels } from '../kernels';
import { DirectDecoderPathway, logSoftmaxRows } from '../network/direct-decoder';
import { Network } from '../network/network';
import { Activity, Reconstruction } from './events';

export function directProbes(network: Network, readoutActivity$: Observable<Activity>): Observable<Reconstruction>[] {
  const k = kernels();
  const { populations, hidden, readout } = network;
  const maxRows = network.options.maxRows;
  const widest = Math.max(...populations.map((p) => p.size));
  const ping = new Float32Array(maxRows * widest);
  const pong = new Float32Array(maxRows * widest);
  const sent = new Float32Array(maxRows * widest);
  const targets: [DirectDecoderPathway<'direct-decoder-linear' | 'direct-decoder-tanh'>, number][] = [];
  network.feedback.forEach((pathway, l) => {
    if (pathway instanceof DirectDecoderPathway) targets.push([pathway, l - 1]);
  });
  if (network.readoutFeedback instanceof DirectDecoderPathway) targets.push([network.readoutFeedback, hidden.length]);
  return targets.map(([pathway, j]) => {
    const population = populations[j - 1];
    const noise = network.state.stream(`${population.name}/direct-noise`);
    const top = hidden[hidden.length - 1];
    return readoutActivity$.pipe(
      filter(({ stimulus }) => stimulus.probeDecoders),
      map(({ stimulus }): Reconstruction => {
        const rows = stimulus.rows;
        readout.respond(rows, top.send(rows, top.activity, sent), pathway.cleanOutput);
        logSoftmaxRows(rows, readout.size, pathway.cleanOutput);
        k.addGaussianNoise(rows * population.size, population.activity, stimulus.noise, noise, pathway.probe);
        let x = pathway.probe;
        for (let m = j + 1; m <= hidden.length; m++) {
          const out = x === ping ? pong : ping;
          populations[m - 1].respond(rows, populations[m - 2].send(rows, x, sent), out);
          x = out;
        }
        readout.respond(rows, top.send(rows, x, sent), pathway.noisyOutput);
        logSoftmaxRows(rows, readout.size, pathway.noisyOutput);
        return { stimulus, pathway: `g${j + 1}`, error: pathway.learnFromProbe(rows, population.activity) };
      }),
    );
  });
}
