/**
 * The probe of a decoder trained by the difference reconstruction loss (rule drl; Meulemans et al.
 * 2020, §4), in place of the decoder's own one-layer probe. For decoder g_i (h_i → h_{i−1}), once the
 * forward sweep has reached h_L: population i−1 is probed, h̃_{i−1} = h_{i−1} + ε (stream
 * "<h_{i−1}>/noise"); the populations above respond in turn up to h̃_L; that response travels back
 * down as a target through the decoders above, t_L = h̃_L, t_{j−1} = h_{j−1} + g_j(t_j) − g_j(h_j)
 * for j = L … i+1; and g_i alone learns from L = mean ‖(g_i(t_i) − g_i(h_i)) − ε‖².
 */
import { kernels } from '../kernels';
import { Network } from '../network/network';
import { Probe } from '../network/pathway';
import { expectPathway } from './rule';

export function differenceReconstructionProbe(network: Network, i: number): Probe {
  const k = kernels();
  const { populations, hidden } = network;
  const L = hidden.length;
  const maxRows = network.options.maxRows;
  const widest = Math.max(...hidden.map((p) => p.size));
  const [ping, pong, sent, displacement] = Array.from({ length: 4 }, () => new Float32Array(maxRows * widest));
  const decoder = expectPathway('drl', network.feedback[i]!, 'decoder');
  const below = populations[i - 2];
  const noise = network.state.stream(`${below.name}/noise`);
  return {
    after: L,
    pathway: `g${i}`,
    run: ({ rows, noise: sd }) => {
      k.addGaussianNoise(rows * below.size, below.activity, sd, noise, decoder.probe);
      k.axpby(rows * below.size, 1, decoder.probe, -1, below.activity, displacement);
      // Up: h̃_i … h̃_L.
      let x = decoder.probe;
      for (let m = i; m <= L; m++) {
        const out = x === ping ? pong : ping;
        populations[m - 1].respond(rows, populations[m - 2].send(rows, x, sent), out);
        x = out;
      }
      // Down through the decoders above g_i: t_{j−1} = h_{j−1} + g_j(t_j) − g_j(h_j).
      for (let j = L; j > i; j--) {
        const out = x === ping ? pong : ping;
        const size = rows * populations[j - 2].size;
        expectPathway('drl', network.feedback[j]!, 'decoder').decodeDifference(rows, x, populations[j - 1].activity, out);
        k.axpby(size, 1, out, 1, populations[j - 2].activity, out);
        x = out;
      }
      return decoder.learnDifference(rows, x, populations[i - 1].activity, displacement);
    },
  };
}
