/**
 * Words of an outcome record as a page shows them, in the reader's language, from the record's structured
 * fields (stage, outcome, choice…). The Chinese words are exactly the stored labels (domain/records,
 * domain/voting/labels.ts), which stay in the hashed record: pages only choose the language they show.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { missedQuorumOnly } from '$lib/domain/records/outcome';
import type { Rating, TaskStatus } from '$lib/domain/records/followthrough';
import type { RecordStage } from '$lib/domain/records/document';
import type { JointResult, MotionResult, Outcome, ThresholdCheck, ThresholdId } from '$lib/domain/voting/types';
import { formatArea, formatPercent } from '$lib/domain/voting/format';
import { choiceWord, outcomeWord } from '$lib/domain/voting/words';
import { labelTable } from '$lib/domain/label-table';

export function stageLabel(stage: RecordStage | string): string {
	return stage === 'final' ? m.records_stage_final() : m.records_stage_preliminary();
}

/** The same words as a ballot's (domain/voting/words.ts), except an advisory outcome, which a record words its own way. */
export function outcomeLabel(outcome: Outcome): string {
	return outcome === 'advisory' ? m.records_outcome_advisory() : outcomeWord(outcome);
}

/** A motion's outcome as the records list carries it (RecordSummary.motions). */
export function outcomeWords(outcome: Outcome | 'quorum_missed'): string {
	return outcome === 'quorum_missed' ? m.records_outcome_quorum_missed() : outcomeLabel(outcome);
}

/** The words a motion's result is said in (domain/records/outcome.ts motionOutcomeWords, in the reader's language). */
export function motionOutcome(motion: Pick<MotionResult, 'compounds' | 'joint'>): string {
	return missedQuorumOnly(motion) ? m.records_outcome_quorum_missed() : outcomeLabel(motion.joint.outcome);
}

/** A choice is said the same on a record as on a ballot. */
export const choiceLabel = choiceWord;

export const taskStatusLabel = labelTable<TaskStatus>({
	planned: m.records_task_planned,
	in_progress: m.records_task_in_progress,
	done: m.records_task_done
});

export const ratingLabel = labelTable<Rating>({
	satisfied: m.records_rating_satisfied,
	basically_satisfied: m.records_rating_basically_satisfied,
	unsatisfied: m.records_rating_unsatisfied
});

export const thresholdLabel = labelTable<ThresholdId>({
	participation_area: m.records_threshold_participation_area,
	participation_persons: m.records_threshold_participation_persons,
	approval_area: m.records_threshold_approval_area,
	approval_persons: m.records_threshold_approval_persons,
	unanimous_consent: m.records_threshold_unanimous_consent,
	meeting_quorum: m.records_threshold_meeting_quorum,
	meeting_approval: m.records_threshold_meeting_approval
});

const AREA_TESTS: ThresholdId[] = ['participation_area', 'approval_area'];

/** A threshold test as ThresholdCheck.display says it ("12,345.67㎡ / 18,000.00㎡ = 68.58%，要求 ≥ 2/3：达到"), in the reader's language. */
export function thresholdDisplay(t: ThresholdCheck): string {
	const amount = (value: number) => (AREA_TESTS.includes(t.id) ? formatArea(value) : m.records_persons_amount({ count: value }));
	return m.records_threshold_display({
		amounts: `${amount(t.actual.numerator)} / ${amount(t.actual.denominator)}`,
		percent: formatPercent(t.actual.numerator, t.actual.denominator),
		operator: t.comparison === 'at_least' ? '≥' : '>',
		required: `${t.required.numerator}/${t.required.denominator}`,
		verdict: t.met ? m.records_met() : m.records_not_met()
	});
}

/** How the compounds' results combine (JointResult.label, domain/voting/labels.ts JOINT_LABELS). */
export function jointLabel(joint: Pick<JointResult, 'rule'>): string {
	return joint.rule === 'advisory' ? m.records_joint_advisory() : m.records_joint_concurrent();
}

/**
 * Resident text placed in brackets inside a translated attribute or document title, where it cannot be
 * marked `lang="zh-CN"`: in English its own brackets become 〔〕 so the outer pair stays one bracketed
 * aside ("Public notice (虹桥小区加装电梯〔演示〕)"). Chinese pages show it exactly as written.
 */
export function aside(text: string): string {
	return getLocale() === 'en' ? text.replace(/[(（]/g, '〔').replace(/[)）]/g, '〕') : text;
}
