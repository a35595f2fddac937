/**
 * 居民会议 (居民委员会组织法 arts. 9–10): a different rule from owners' decisions. Heads, not area:
 * the meeting is quorate when more than half of the eligible adult residents (or household
 * representatives) attend, and a motion passes when more than half of those present vote yes.
 * Abstentions and non-votes among attendees therefore count against, as they do in the statute.
 */
import { MEETING_BASIS_LABELS, OUTCOME_LABELS } from './labels.ts';
import { problem, TallyInputError } from './prepare.ts';
import { assembleResult } from './result.ts';
import { checkThreshold, meetsThreshold, ONE_FIFTH, ONE_HALF } from './thresholds.ts';
import type {
	InputProblem,
	MeetingCompoundTally,
	MeetingCount,
	ResidentsMeetingInput,
	TallyResult,
	ThresholdCheck,
	ThresholdId
} from './types.ts';

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Every problem with a residents' meeting input, in Chinese and English. */
export function findResidentsMeetingProblems(input: ResidentsMeetingInput): InputProblem[] {
	const problems: InputProblem[] = [];
	const motionIds = new Set<string>();
	if (!Array.isArray(input.motions) || input.motions.length === 0) {
		problems.push(problem('motions', '至少需要一个表决事项', 'at least one motion is required'));
	} else {
		input.motions.forEach((motion, i) => {
			if (typeof motion?.id !== 'string' || motion.id === '' || motionIds.has(motion.id)) {
				problems.push(problem(`motions[${i}].id`, '表决事项编号缺失或重复', 'motion id is missing or duplicated'));
			} else motionIds.add(motion.id);
			if (typeof motion?.title !== 'string')
				problems.push(problem(`motions[${i}].title`, '表决事项缺少标题', 'motion title is missing'));
		});
	}
	if (!Array.isArray(input.meetings) || input.meetings.length === 0) {
		problems.push(problem('meetings', '至少需要一次会议记录', 'at least one meeting record is required'));
		return problems;
	}
	const ids = new Set<string>();
	input.meetings.forEach((meeting, i) => {
		const at = `meetings[${i}]`;
		if (typeof meeting?.compoundId !== 'string' || meeting.compoundId === '' || ids.has(meeting.compoundId)) {
			problems.push(problem(`${at}.compoundId`, '编号缺失或重复', 'compoundId is missing or duplicated'));
		} else ids.add(meeting.compoundId);
		if (typeof meeting?.name !== 'string') problems.push(problem(`${at}.name`, '缺少名称', 'name is missing'));
		if (meeting?.basis !== 'adult_residents' && meeting?.basis !== 'households') {
			problems.push(
				problem(`${at}.basis`, '计数基础须为 adult_residents 或 households', 'basis must be adult_residents or households')
			);
		}
		if (!isCount(meeting?.eligible) || !isCount(meeting?.attendees) || meeting.attendees > meeting.eligible) {
			problems.push(
				problem(
					`${at}.attendees`,
					'应到、实到人数须为非负整数，且实到不超过应到',
					'eligible and attendees must be non-negative integers with attendees ≤ eligible'
				)
			);
		}
		const voted = new Set<string>();
		(Array.isArray(meeting?.votes) ? meeting.votes : []).forEach((count, v) => {
			const vat = `${at}.votes[${v}]`;
			if (!motionIds.has(count?.motionId) || voted.has(count.motionId)) {
				problems.push(problem(`${vat}.motionId`, '表决事项未知或重复', 'motion unknown or counted twice'));
			} else voted.add(count.motionId);
			if (!isCount(count?.yes) || !isCount(count?.no) || !isCount(count?.abstain)) {
				problems.push(problem(vat, '票数须为非负整数', 'counts must be non-negative integers'));
			} else if (isCount(meeting.attendees) && count.yes + count.no + count.abstain > meeting.attendees) {
				problems.push(problem(vat, '票数合计超过到会人数', 'yes + no + abstain exceeds attendees'));
			}
		});
		if (!Array.isArray(meeting?.votes)) problems.push(problem(`${at}.votes`, '缺少票数', 'votes are missing'));
	});
	return problems;
}

/** 过半数, counted by heads: the statute's one test, for the quorum and for the approval alike. */
function moreThanHalfByHeads(id: ThresholdId, numerator: number, denominator: number): ThresholdCheck {
	return checkThreshold(id, { numerator, denominator }, ONE_HALF, 'more_than', 'count');
}

function decideMeeting(meeting: MeetingCount, motionId: string): MeetingCompoundTally {
	const count = meeting.votes.find((v) => v.motionId === motionId) ?? { motionId, yes: 0, no: 0, abstain: 0 };
	const quorum = moreThanHalfByHeads('meeting_quorum', meeting.attendees, meeting.eligible);
	const approval = moreThanHalfByHeads('meeting_approval', count.yes, meeting.attendees);
	const outcome = !quorum.met ? 'quorum_not_met' : approval.met ? 'passed' : 'not_passed';
	return {
		kind: 'meeting',
		compoundId: meeting.compoundId,
		compoundName: meeting.name,
		basis: meeting.basis,
		basisLabel: MEETING_BASIS_LABELS[meeting.basis],
		eligible: meeting.eligible,
		attendees: meeting.attendees,
		yes: count.yes,
		no: count.no,
		abstain: count.abstain,
		thresholds: [quorum, approval],
		outcome,
		outcomeLabel: OUTCOME_LABELS[outcome],
		passed: outcome === 'passed'
	};
}

/** Counts a residents' meeting; several constituencies decide concurrently, like compounds. */
export function tallyResidentsMeeting(input: ResidentsMeetingInput): TallyResult {
	const problems = findResidentsMeetingProblems(input);
	if (problems.length > 0) throw new TallyInputError(problems);
	const perMotion = input.motions.map((motion) => input.meetings.map((meeting) => decideMeeting(meeting, motion.id)));
	return assembleResult('residents_meeting', null, input.motions, perMotion);
}

/** 五分之一以上: whether enough adult residents (or households) asked for a residents' meeting to force it (art. 9). */
export function canForceResidentsMeeting(requesters: number, eligible: number): boolean {
	return meetsThreshold({ numerator: requesters, denominator: eligible }, ONE_FIFTH, 'at_least');
}
