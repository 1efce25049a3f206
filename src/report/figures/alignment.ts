/**
 * Alignment angles over training (metrics/alignment.ts samples, as written into metrics.jsonl) as
 * one plotly figure with three panels: the update angle with back-propagation, the feedback matrix's
 * angle with the forward weights, and the target direction's angle with −∂L/∂h. One trace per
 * experiment and layer, averaged over the experiment's runs at each sampled step; NaN samples are gaps.
 * Each experiment has one colour (dotted after the palette's ten) and one legend entry; its layers
 * go from pale (the lowest) to full colour (the highest).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Figure, palette } from '../figure';

type Angle = number | 'NaN';
interface Sample {
  readonly step: number;
  readonly [metric: string]: number | Readonly<Record<string, Angle>>;
}

const panels = [
  { key: 'update_angle', title: '∠(update, BP update) (°)' },
  { key: 'feedback_angle', title: '∠(B, W) (°)' },
  { key: 'target_angle', title: '∠(ĥ − h, −∂L/∂h) (°)' },
] as const;

/** The alignment samples of one run folder, in order (none when it recorded none). */
export function readAlignment(dir: string): Sample[] {
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => (JSON.parse(line).alignment ?? []) as Sample[]);
}

/** The figure for `experiments`: label → the sample lists of its runs. */
export function alignmentFigure(experiments: ReadonlyMap<string, readonly Sample[][]>): Figure {
  const data: Record<string, unknown>[] = [];
  const labels = [...experiments.keys()];
  const inLegend = new Set<string>();
  panels.forEach(({ key }, panel) => {
    for (const [label, runs] of experiments) {
      const layers = [...new Set(runs.flatMap((samples) => samples.flatMap((s) => Object.keys(s[key] as Record<string, Angle>))))];
      const index = labels.indexOf(label);
      for (const [i, layer] of layers.entries()) {
        const byStep = new Map<number, number[]>();
        for (const samples of runs) {
          for (const s of samples) {
            const value = (s[key] as Record<string, Angle>)[layer];
            if (typeof value === 'number') byStep.set(s.step, [...(byStep.get(s.step) ?? []), value]);
            else if (!byStep.has(s.step)) byStep.set(s.step, []);
          }
        }
        const steps = [...byStep.keys()].sort((a, b) => a - b);
        const first = !inLegend.has(label);
        inLegend.add(label);
        data.push({
          type: 'scatter',
          mode: 'lines',
          name: first ? label : `${label} ${layer}`,
          legendgroup: label,
          showlegend: first,
          line: { color: palette[index % palette.length], dash: index < palette.length ? 'solid' : 'dot', width: 1.5 },
          opacity: layers.length > 1 ? 0.3 + (0.7 * i) / (layers.length - 1) : 1,
          hovertemplate: `${label} ${layer}: %{y:.1f}° at step %{x}<extra></extra>`,
          x: steps,
          y: steps.map((step) => {
            const values = byStep.get(step)!;
            return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
          }),
          xaxis: panel === 0 ? 'x' : `x${panel + 1}`,
          yaxis: panel === 0 ? 'y' : `y${panel + 1}`,
        });
      }
    }
  });
  const layout: Record<string, unknown> = { title: { text: 'Alignment with back-propagation' }, width: 1000, height: 1100 };
  panels.forEach(({ title }, panel) => {
    const suffix = panel === 0 ? '' : String(panel + 1);
    const top = 1 - panel / 3;
    layout[`xaxis${suffix}`] = { title: { text: 'learning step' }, anchor: `y${suffix}` };
    layout[`yaxis${suffix}`] = { title: { text: title }, range: [0, 100], domain: [top - 0.28, top - 0.02], anchor: `x${suffix}` };
  });
  return { data, layout };
}
