/**
 * The plausibility table: which signals each rule relies on, generated from the rules' own
 * declarations (Rule.uses), so the table cannot drift from the code.
 */
import { Rule, SignalUse } from '../rules';

const columns: readonly { readonly key: keyof SignalUse; readonly title: string }[] = [
  { key: 'weightTransport', title: 'weight transport' },
  { key: 'derivativeChain', title: 'derivatives along the feedback path' },
  { key: 'globalError', title: 'global error broadcast' },
  { key: 'labelAtHidden', title: 'label at hidden layers' },
  { key: 'outputGradient', title: 'gradient through the read-out' },
  { key: 'learnedFeedback', title: 'learned feedback' },
];

/** A Markdown table: one row per rule, one column per signal. */
export function plausibilityTable(rules: readonly Rule[]): string {
  const header = `| rule | ${columns.map((c) => c.title).join(' | ')} |`;
  const rule = `|---|${columns.map(() => ':-:').join('|')}|`;
  const rows = rules.map((r) => `| ${r.name} | ${columns.map((c) => (r.uses[c.key] ? 'yes' : '—')).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
