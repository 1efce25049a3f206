/** The rules by the names experiment files use. */
import { backprop } from './bp';
import { differenceTargetPropagation } from './dtp';
import { Rule } from './rule';
import { TargetPropagationSpec } from './target-propagation';
import { targetPropagation } from './tp';

export type { LocalView, Rule, SignalUse } from './rule';

export type RuleSpec = { readonly name: 'bp' } | ({ readonly name: 'dtp' | 'tp' } & TargetPropagationSpec);

export const ruleNames = ['bp', 'dtp', 'tp'] as const;

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
