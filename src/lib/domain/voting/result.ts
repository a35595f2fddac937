/** Assembles the ballot-level result from per-compound decisions; shared by batch and live tallies. */
import { decideJointly, poolAdvisory } from './decide.ts';
import { BOTH_CHANNELS_RULE_LABELS, LEGAL_BASIS, RULE_LABELS } from './labels.ts';
import type { BothChannelsRule, CompoundTally, Motion, MotionResult, OwnersCompoundTally, RuleKind, TallyResult } from './types.ts';

/** perMotion[m] holds motion m's tallies, one per compound in input order. */
export function assembleResult(
	ruleKind: RuleKind,
	bothChannelsRule: BothChannelsRule | null,
	motions: readonly Motion[],
	perMotion: CompoundTally[][]
): TallyResult {
	const motionResults: MotionResult[] = motions.map((motion, m) => {
		const compounds = perMotion[m];
		return {
			motionId: motion.id,
			title: motion.title,
			compounds,
			joint: decideJointly(ruleKind, compounds),
			pooled: ruleKind === 'advisory' ? poolAdvisory(compounds as OwnersCompoundTally[]) : null
		};
	});
	return {
		ruleKind,
		ruleLabel: RULE_LABELS[ruleKind],
		legalBasis: LEGAL_BASIS[ruleKind],
		legallyBinding: ruleKind !== 'advisory',
		bothChannelsRule,
		bothChannelsRuleLabel: bothChannelsRule === null ? null : BOTH_CHANNELS_RULE_LABELS[bothChannelsRule],
		motions: motionResults
	};
}
