/** The rules by the names experiment files use. */
import { backprop } from './bp';
import { backpropThroughTime } from './bptt';
import { feedbackAlignmentThroughTime } from './fa-through-time';
import { targetPropagationThroughTime } from './tptt';
import { ConditionalDecoderSpec, conditionalDecoders } from './conditional';
import { directDifferenceTargetPropagation } from './ddtp';
import { directFeedbackAlignment } from './dfa';
import { differenceReconstructionTargetPropagation } from './drl';
import { differenceTargetPropagation } from './dtp';
import { feedbackAlignment } from './fa';
import { kolenPollack } from './kp';
import { Rule } from './rule';
import { TargetPropagationSpec } from './target-propagation';
import { SimplifiedTargetPropagationSpec, simplifiedTargetPropagation } from './sdtp';
import { signSymmetry } from './sign-symmetry';
import { targetPropagation } from './tp';
import { spikingDifferenceTargetPropagation } from './spiking-dtp';

export type { LocalView, Rule, SignalUse, TemporalView } from './rule';

/** Rules without settings. */
export const plainRuleNames = ['bp', 'fa', 'dfa', 'sign-symmetry', 'sign-symmetry-random', 'kp', 'bptt', 'fa-tt'] as const;

export type RuleSpec =
  | { readonly name: (typeof plainRuleNames)[number] }
  | ({ readonly name: (typeof gradientTargetRuleNames)[number] } & TargetPropagationSpec)
  | ({ readonly name: 'sdtp' | 'ao-sdtp' } & SimplifiedTargetPropagationSpec)
  | ({ readonly name: 'conditional' } & ConditionalDecoderSpec)
  | { readonly name: 'spiking-dtp'; readonly topStep: number };

/** Target propagation without any gradient: settings `noise` (and `noiseDecay`) only. */
export const labelTargetRuleNames = ['sdtp', 'ao-sdtp', 'conditional'] as const;

/** Target propagation from a gradient step at the top: settings `topStep` and `noise` (and `noiseDecay`). */
export const gradientTargetRuleNames = ['dtp', 'tp', 'drl', 'ddtp-linear', 'ddtp-tanh', 'tptt'] as const;

export const ruleNames = [...plainRuleNames, ...gradientTargetRuleNames, ...labelTargetRuleNames] as const;

/**
 * Every rule, built with representative settings: for listing what each rule is and which signals
 * it uses (declarations do not depend on settings).
 */
export function allRules(): Rule[] {
  return ruleNames.map((name) => createRule(exampleRuleSpec(name)));
}

/** The rule `name` with representative settings (for tables and tests). */
export function exampleRuleSpec(name: (typeof ruleNames)[number]): RuleSpec {
  const plain: readonly string[] = plainRuleNames;
  const labelTarget: readonly string[] = labelTargetRuleNames;
  if (plain.includes(name)) return { name } as RuleSpec;
  return (labelTarget.includes(name) ? { name, noise: 0.1 } : { name, topStep: 0.1, noise: 0.1 }) as RuleSpec;
}

export function createRule(spec: RuleSpec): Rule {
  switch (spec.name) {
    case 'bp':
      return backprop();
    case 'fa':
      return feedbackAlignment();
    case 'dfa':
      return directFeedbackAlignment();
    case 'sign-symmetry':
      return signSymmetry(false);
    case 'sign-symmetry-random':
      return signSymmetry(true);
    case 'kp':
      return kolenPollack();
    case 'bptt':
      return backpropThroughTime();
    case 'fa-tt':
      return feedbackAlignmentThroughTime();
    case 'tptt':
      return targetPropagationThroughTime(spec);
    case 'dtp':
      return differenceTargetPropagation(spec);
    case 'tp':
      return targetPropagation(spec);
    case 'drl':
      return differenceReconstructionTargetPropagation(spec);
    case 'ddtp-linear':
      return directDifferenceTargetPropagation(spec, true);
    case 'ddtp-tanh':
      return directDifferenceTargetPropagation(spec, false);
    case 'sdtp':
      return simplifiedTargetPropagation(spec, false);
    case 'ao-sdtp':
      return simplifiedTargetPropagation(spec, true);
    case 'conditional':
      return conditionalDecoders(spec);
    case 'spiking-dtp':
      return spikingDifferenceTargetPropagation(spec.topStep);
  }
}
