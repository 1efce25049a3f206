/** The rules by the names experiment files use. */
import { backprop } from './bp';
import { differenceTargetPropagation } from './dtp';
import { Rule } from './rule';
import { TargetPropagationSpec } from './target-propagation';
import { targetPropagation } from './tp';

export type { LocalView, Rule, SignalUse } from './rule';

export type RuleSpec = { readonly name: 'bp' } | ({ readonly name: 'dtp' | 'tp' } & TargetPropagationSpec);

export const ruleNames = ['bp', 'dtp', 'tp'] as const;

/**
 * Every rule, built with representative settings: for listing what each rule is and which signals
 * it uses (declarations do not depend on settings).
 */
export function allRules(): Rule[] {
  return ruleNames.map((name) => createRule(name === 'bp' ? { name } : { name, topStep: 1, noise: 1 }));
}

export function createRule(spec: RuleSpec): Rule {
  switch (spec.name) {
    case 'bp':
      return backprop();
    case 'dtp':
      return differenceTargetPropagation(spec);
    case 'tp':
      return targetPropagation(spec);
  }
}
