/**
 * The words a motion's result is said in, wherever it is shown (record page, records list, home).
 * The joint label alone ("未通过") misleads when most voters agreed but too few owners took part:
 * a motion that failed only because every failing compound missed its participation quorum says
 * 未达到参与门槛 instead. Pure.
 */
import type { MotionResult } from '../voting/types.ts';

export const QUORUM_MISSED_WORDS = '未达到参与门槛，不能通过';

/** Every compound that made the motion fail missed its participation quorum. */
export function missedQuorumOnly(motion: Pick<MotionResult, 'compounds' | 'joint'>): boolean {
	const { joint } = motion;
	if (joint.passed || joint.outcome === 'advisory') return false;
	const failing = motion.compounds.filter((c) => joint.failingCompoundIds.includes(c.compoundId));
	return failing.length > 0 && failing.every((c) => c.outcome === 'quorum_not_met');
}

export function motionOutcomeWords(motion: Pick<MotionResult, 'compounds' | 'joint'>): string {
	return missedQuorumOnly(motion) ? QUORUM_MISSED_WORDS : motion.joint.outcomeLabel;
}
