/**
 * The probe of a decoder trained by the difference reconstruction loss (rule drl; Meulemans et al.
 * 2020, §4), in place of the decoder's own one-layer probe. For decoder g_i (h_i → h_{i−1}), once the
 * forward sweep has reached h_L: population i−1 is probed, h̃_{i−1} = h_{i−1} + ε (stream
 * "<h_{i−1}>/noise"); the populations above respond in turn up to h̃_L; that response travels back
 * down as a target through the decoders above, t_L = h̃_L, t_{j−1} = h_{j−1} + g_j(t_j) − g_j(h_j)
 * for j = L … i+1; and g_i alone learns from L = mean ‖(g_i(t_i) − g_i(h_i)) − ε‖².
 * When the top target is decoded from the output (network/output-decoder.ts), the probe climbs on to
 * the read-out's scores õ and comes down through g_{L+1} first, t_L = h_L + g_{L+1}(õ) − g_{L+1}(o),
 * as Meulemans et al.'s DTPDRL network does; g_{L+1} itself (i = L + 1) learns the same way.
 */
import { kernels } from '../kernels';
import { DecoderPathway } from '../network/decoder';
import { Network } from '../network/network';
import { Probe } from '../network/pathway';
import { expectPathway } from './rule';

/** Decoder g_j (j = 2 … L, or L + 1 when the top target is decoded from the output). */
function decoderOf(network: Network, j: number): DecoderPathway {
  if (j === network.readout.index) return expectPathway('drl', network.readoutFeedback, 'output-decoder').decoder;
  return expectPathway('drl', network.feedback[j]!, 'decoder');
}

export function differenceReconstructionProbe(network: Network, i: number): Probe {
  const k = kernels();
  const { populations, hidden, readout } = network;
  const L = hidden.length;
  const top = network.readoutFeedback.kind === 'output-decoder' ? readout.index : L;
  const maxRows = network.options.maxRows;
  const widest = Math.max(...populations.map((p) => p.size));
  const [ping, pong, sent, displacement, scores] = Array.from({ length: 5 }, () => new Float32Array(maxRows * widest));
  const decoder = decoderOf(network, i);
  const below = populations[i - 2];
  const noise = network.state.stream(`${below.name}/noise`);
  /** What g_j decoded on the clean sweep: h_j, or the read-out's scores o. */
  const clean = (j: number, rows: number): Float32Array => {
    if (j !== readout.index) return populations[j - 1].activity;
    expectPathway('drl', network.readoutFeedback, 'output-decoder').currentScores(rows, scores);
    return scores;
  };
  return {
    after: L,
    pathway: `g${i}`,
    run: ({ rows, noise: sd }) => {
      k.addGaussianNoise(rows * below.size, below.activity, sd, noise, decoder.probe);
      k.axpby(rows * below.size, 1, decoder.probe, -1, below.activity, displacement);
      // Up: h̃_i … h̃_L (and the read-out's scores õ when the top target is decoded from them).
      let x = decoder.probe;
      for (let m = i; m <= top; m++) {
        const out = x === ping ? pong : ping;
        populations[m - 1].respond(rows, populations[m - 2].send(rows, x, sent), out);
        x = out;
      }
      // Down through the decoders above g_i: t_{j−1} = h_{j−1} + g_j(t_j) − g_j(h_j).
      for (let j = top; j > i; j--) {
        const out = x === ping ? pong : ping;
        const size = rows * populations[j - 2].size;
        decoderOf(network, j).decodeDifference(rows, x, clean(j, rows), out);
        k.axpby(size, 1, out, 1, populations[j - 2].activity, out);
        x = out;
      }
      return decoder.learnDifference(rows, x, clean(i, rows), displacement);
    },
  };
}
