/**
 * The voting words a page shows, in the reader's language (issue #14, part 5). labels.ts keeps the Chinese
 * labels that are part of the result and of the frozen export (hashed: never translated); a page that shows
 * a stored label shows this version instead, chosen by the same key. In Chinese both give the same text.
 */
import { m } from '../../paraglide/messages.js';
import { getLocale } from '../../paraglide/runtime.js';
import { contentLang } from '../../i18n/content.ts';
import { labelTable } from '../label-table.ts';
import { formatArea, formatPercent } from './format.ts';
import type { BothChannelsRule, Choice, NonVoterRule, Outcome, RuleKind, ThresholdCheck, ThresholdId } from './types.ts';

export const choiceWord = labelTable<Choice>({ yes: m.voting_choice_yes, no: m.voting_choice_no, abstain: m.voting_choice_abstain });

/**
 * 核对: "方案A：您选择：同意", one line per motion with a choice, in the ballot's order. The server's check step and
 * receipt and the ballot page's own check step (with JavaScript, no request) print the same lines.
 */
export function youChoseLines(
	motions: readonly { motionId: string; title: string }[],
	choiceOf: (motionId: string) => Choice | undefined
): string[] {
	return motions.flatMap((motion) => {
		const choice = choiceOf(motion.motionId);
		return choice === undefined ? [] : [m.voting_line_you_chose({ title: motion.title, choice: choiceWord(choice) })];
	});
}

/** What confirming means: a vote that may still be changed until the close, or a final one. */
export function reviewNotice(allowChange: boolean): string {
	return allowChange ? m.voting_review_notice_change() : m.voting_review_notice_final();
}

export const ruleWord = labelTable<RuleKind>({
	ordinary: m.voting_rule_ordinary,
	major: m.voting_rule_major,
	unanimous_affected: m.voting_rule_unanimous_affected,
	residents_meeting: m.voting_rule_residents_meeting,
	advisory: m.voting_rule_advisory
});

export const legalBasisWord = labelTable<RuleKind>({
	ordinary: m.voting_basis_ordinary,
	major: m.voting_basis_major,
	unanimous_affected: m.voting_basis_unanimous_affected,
	residents_meeting: m.voting_basis_residents_meeting,
	advisory: m.voting_basis_advisory
});

export const outcomeWord = labelTable<Outcome>({
	passed: m.voting_outcome_passed,
	not_passed: m.voting_outcome_not_passed,
	quorum_not_met: m.voting_outcome_quorum_not_met,
	advisory: m.voting_outcome_advisory
});

export const thresholdWord = labelTable<ThresholdId>({
	participation_area: m.voting_threshold_participation_area,
	participation_persons: m.voting_threshold_participation_persons,
	approval_area: m.voting_threshold_approval_area,
	approval_persons: m.voting_threshold_approval_persons,
	unanimous_consent: m.voting_threshold_unanimous_consent,
	meeting_quorum: m.voting_threshold_meeting_quorum,
	meeting_approval: m.voting_threshold_meeting_approval
});

const AREA_THRESHOLDS: ThresholdId[] = ['participation_area', 'approval_area'];

/** The check's figures line: the stored Chinese display as it is, or the same figures in English. */
export function thresholdLine(check: ThresholdCheck): string {
	if (getLocale() === 'zh-CN') return check.display;
	const amount = (n: number) => (AREA_THRESHOLDS.includes(check.id) ? formatArea(n) : m.voting_persons({ count: n }));
	return m.voting_threshold_display({
		actual: amount(check.actual.numerator),
		total: amount(check.actual.denominator),
		percent: formatPercent(check.actual.numerator, check.actual.denominator),
		operator: check.comparison === 'at_least' ? '≥' : '>',
		required: `${check.required.numerator}/${check.required.denominator}`,
		met: check.met ? m.voting_threshold_met() : m.voting_threshold_not_met()
	});
}

export function bothChannelsWord(rule: BothChannelsRule): string {
	return rule === 'paper_prevails' ? m.voting_both_channels_paper_prevails() : m.voting_both_channels_electronic_prevails();
}

export function nonVoterWord(rule: NonVoterRule): string {
	return rule === 'follow_majority' ? m.voting_non_voter_follow_majority() : m.voting_non_voter_off();
}

export function jointWord(advisory: boolean): string {
	return advisory ? m.voting_joint_advisory() : m.voting_joint_concurrent_majority();
}

export function pooledWord(): string {
	return m.voting_pooled_label();
}

/** A ballot's phase as a page says it (server/voting/common.ts PHASE_LABELS in Chinese). */
export const phaseWord = labelTable<'draft' | 'noticed' | 'voting' | 'ended' | 'closed'>({
	draft: m.voting_phase_draft,
	noticed: m.voting_phase_noticed,
	voting: m.voting_phase_voting,
	ended: m.voting_phase_ended,
	closed: m.voting_phase_closed
});

/** "还剩 3 天 4 小时" for the live turnout, in the reader's language. */
export function timeLeftWord(ms: number): string {
	if (ms <= 0) return m.voting_time_over();
	const minutes = Math.floor(ms / 60_000);
	const days = Math.floor(minutes / 1440);
	const hours = Math.floor((minutes % 1440) / 60);
	if (days > 0) return m.voting_time_left_days({ days, hours });
	if (hours > 0) return m.voting_time_left_hours({ hours, minutes: minutes % 60 });
	return m.voting_time_left_minutes({ minutes: Math.max(minutes, 1) });
}

/**
 * A resident-written name inside an attribute or the document title, which cannot carry `lang`: kept as written
 * on a Chinese page or when it has no Chinese; left out on an English page (the page shows it marked nearby).
 */
export function nameInLabel(name: string): string {
	return getLocale() === 'zh-CN' || !contentLang(name) ? name : '';
}

/** A label built with nameInLabel, tidied when the name was left out: "Floor area: …", "Vote · Yishi". */
export function tidyLabel(text: string): string {
	if (getLocale() === 'zh-CN') return text;
	const trimmed = text.replace(/^\s*·\s*/, '').trim();
	return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
