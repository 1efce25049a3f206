/** A rule between populations extended to learn through the steps of a recurrent population. */
import { FeedbackKind } from '../network/pathways';
import { Rule } from './rule';

export function throughTime(base: Rule, parts: { name: string; summary: string; temporalFeedback: FeedbackKind; throughTime: NonNullable<Rule['throughTime']> }): Rule {
  return { ...base, ...parts, uses: { ...base.uses, throughTime: true } };
}
