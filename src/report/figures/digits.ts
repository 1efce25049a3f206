/**
 * Decoder reconstructions drawn as images: one row per example, the original input first, then
 * what each population's activity becomes when decoded back down to the input (g_1 ∘ … ∘ g_l),
 * as one greyscale heatmap mosaic with a blank column between tiles.
 */
import { ReconstructionSample } from '../../record/formats';
import { Figure } from '../figure';

function bytes(base64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(base64, 'base64'));
}

/** The mosaic of `sample`: z is rows × columns of grey levels (0–255), null in the gaps. */
export function digitsFigure(sample: ReconstructionSample): Figure {
  const { width, height, examples } = sample;
  const columns = [['input', sample.original], ...Object.entries(sample.decoded)] as const;
  const tileW = width + 1;
  const tileH = height + 1;
  const z: (number | null)[][] = Array.from({ length: examples.length * tileH - 1 }, () => new Array(columns.length * tileW - 1).fill(null));
  columns.forEach(([, encoded], c) => {
    const pixels = bytes(encoded);
    for (let e = 0; e < examples.length; e++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) z[e * tileH + y][c * tileW + x] = pixels[(e * height + y) * width + x];
      }
    }
  });
  const pixel = Math.min(4, 860 / (columns.length * tileW));
  return {
    data: [
      {
        type: 'heatmap',
        z,
        zmin: 0,
        zmax: 255,
        colorscale: 'Greys',
        reversescale: true,
        showscale: false,
        hoverongaps: false,
      },
    ],
    layout: {
      title: { text: `decoded from each population, epoch ${sample.epoch} (${sample.split} examples ${examples.join(', ')})` },
      width: Math.max(500, Math.round(columns.length * tileW * pixel + 80)),
      height: Math.round(examples.length * tileH * pixel + 110),
      margin: { t: 40, r: 20, b: 40, l: 20 },
      xaxis: {
        tickmode: 'array',
        tickvals: columns.map((_, c) => c * tileW + width / 2),
        ticktext: columns.map(([name]) => name),
        side: 'bottom',
        showgrid: false,
        zeroline: false,
      },
      yaxis: { autorange: 'reversed', showticklabels: false, showgrid: false, zeroline: false, scaleanchor: 'x' },
    },
  };
}
