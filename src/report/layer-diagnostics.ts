/**
 * Per-layer diagnostics of a target-propagation run, from every epoch of its metrics.jsonl: for each
 * hidden population h_l (bottom to top),
 *  - recon:  the mean probe loss of the decoder g_{l+1} forming h_l's target (reconstruction_error;
 *            none for the top population, whose target comes from the read-out);
 *  - angle_st, angle: the mean over the epoch's alignment samples of ∠(ĥ_l − h_l, −∂L/∂h_l) with
 *            the straight-through gradient and with the true one (metrics/alignment.ts);
 *  - rms:    the mean size of the target step ‖ĥ_l − h_l‖/√(rows·size).
 * Means skip NaN samples; a layer without a finite sample reads NaN. Runs recorded without
 * alignment metrics give reconstruction errors only.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface LayerDiagnostics {
  readonly layer: string;
  readonly recon: number | null;
  readonly angle_st: number | null;
  readonly angle: number | null;
  readonly rms: number | null;
}

type Angles = Readonly<Record<string, number | 'NaN'>>;
interface EpochLine {
  readonly epoch: number;
  readonly reconstruction_error?: Readonly<Record<string, number>>;
  readonly alignment?: readonly { readonly target_angle?: Angles; readonly target_angle_st?: Angles; readonly target_rms?: Angles }[];
}

/** Mean of the finite values; NaN when there are samples but none finite; null without samples. */
function mean(values: readonly (number | 'NaN' | undefined)[]): number | null {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0) return null;
  const finite = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}

/** One epoch's diagnostics: h1 … h<depth>, bottom to top. */
export interface EpochDiagnostics {
  readonly epoch: number;
  readonly layers: readonly LayerDiagnostics[];
}

/** The diagnostics of every epoch of the run in `dir` with `depth` hidden populations (none without metrics). */
export function layerDiagnosticsByEpoch(dir: string, depth: number): EpochDiagnostics[] {
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim());
  return lines.map((text) => {
    const line = JSON.parse(text) as EpochLine;
    const samples = line.alignment ?? [];
    const layers = Array.from({ length: depth }, (_, i) => {
      const layer = `h${i + 1}`;
      return {
        layer,
        recon: line.reconstruction_error?.[`g${i + 2}`] ?? null,
        angle_st: mean(samples.map((s) => s.target_angle_st?.[layer])),
        angle: mean(samples.map((s) => s.target_angle?.[layer])),
        rms: mean(samples.map((s) => s.target_rms?.[layer])),
      };
    });
    return { epoch: line.epoch, layers };
  });
}
