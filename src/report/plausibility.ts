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
  { key: 'signTransport', title: 'signs of forward weights' },
  { key: 'fixedRandomFeedback', title: 'fixed random feedback' },
  { key: 'mirroredFeedback', title: 'feedback mirrors forward updates' },
  { key: 'sideInformation', title: 'side information in feedback' },
  { key: 'throughTime', title: 'credit through time' },
];

/** The column titles of the plausibility table. */
export function plausibilityTitles(): string[] {
  return columns.map((c) => c.title);
}

/** One rule's cells: "yes" for each signal it uses, "—" otherwise. */
export function plausibilityCells(uses: SignalUse): string[] {
  return columns.map((c) => (uses[c.key] ? 'yes' : '—'));
}

/** A Markdown table: one row per rule, one column per signal. */
export function plausibilityTable(rules: readonly Rule[]): string {
  const header = `| rule | ${plausibilityTitles().join(' | ')} |`;
  const rule = `|---|${columns.map(() => ':-:').join('|')}|`;
  const rows = rules.map((r) => `| ${r.name} | ${plausibilityCells(r.uses).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

/** The rules' options, one Markdown list item per rule and option (empty when no rule has any). */
export function ruleOptionsMarkdown(rules: readonly Rule[]): string {
  return rules.flatMap((r) => (r.options ?? []).map((option) => `- ${r.name}: ${option}`)).join('\n');
}
