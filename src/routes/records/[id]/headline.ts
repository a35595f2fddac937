/**
 * What a record says first, in the words a resident uses. The joint result alone ("未通过") misleads
 * when most voters agreed but too few owners took part: the reason comes first, then the share
 * that agreed. Pure: the page and its unit test share it.
 */
import type { CompoundTally, MotionResult, ThresholdCheck } from '$lib/domain/voting/types';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { motionOutcome, outcomeLabel, thresholdLabel } from '$lib/components/records/labels';

const FRACTION_WORDS: Record<string, () => string> = {
	'1/2': m.records_fraction_half,
	'2/3': m.records_fraction_two_thirds,
	'3/4': m.records_fraction_three_quarters,
	'1/1': m.records_fraction_all
};

function fractionWords(f: { numerator: number; denominator: number }): string {
	return FRACTION_WORDS[`${f.numerator}/${f.denominator}`]?.() ?? `${f.numerator}/${f.denominator}`;
}

/** Truncated, never rounded up (as the thresholds are shown). */
function percent(numerator: number, denominator: number): string {
	return denominator === 0 ? '0%' : `${Math.floor((numerator * 100) / denominator)}%`;
}

function missedParticipation(t: CompoundTally): ThresholdCheck[] {
	return t.thresholds.filter((c) => !c.met && (c.id.startsWith('participation') || c.id === 'meeting_quorum'));
}

function agreedShare(t: CompoundTally): string | null {
	if (t.kind === 'owners') {
		if (t.participating.persons === 0) return null;
		const share = percent(t.yes.persons, t.participating.persons);
		return m.records_reason_share_owners({ voters: t.participating.persons, yes: t.yes.persons, percent: share });
	}
	if (t.attendees === 0) return null;
	return m.records_reason_share_meeting({ attendees: t.attendees, yes: t.yes, percent: percent(t.yes, t.attendees) });
}

function compoundReason(t: CompoundTally): string {
	const missed = missedParticipation(t);
	if (t.outcome === 'quorum_not_met' || missed.length > 0) {
		const parts = missed.map((c) => {
			const what =
				c.id === 'participation_area'
					? m.records_reason_what_area()
					: c.id === 'meeting_quorum'
						? m.records_reason_what_attendance()
						: m.records_reason_what_persons();
			return m.records_reason_only({ what, percent: percent(c.actual.numerator, c.actual.denominator) });
		});
		const required = missed[0] ? m.records_reason_required({ fraction: fractionWords(missed[0].required) }) : '';
		const share = agreedShare(t);
		return (t.kind === 'owners' ? m.records_reason_turnout_owners : m.records_reason_turnout_meeting)({
			compound: t.compoundName,
			parts: parts.join(m.records_reason_parts_separator()),
			required,
			share: share ? m.records_reason_share_after({ share }) : ''
		});
	}
	const failed = t.thresholds.filter((c) => !c.met);
	const share = agreedShare(t);
	if (failed.length === 0) return m.records_reason_not_passed({ compound: t.compoundName });
	const shortfalls = failed.map((c) => {
		const fraction = fractionWords(c.required);
		const needed = c.comparison === 'at_least' ? m.records_reason_at_least({ fraction }) : m.records_reason_more_than({ fraction });
		return m.records_reason_shortfall({
			label: thresholdLabel(c.id),
			percent: percent(c.actual.numerator, c.actual.denominator),
			needed
		});
	});
	return m.records_reason_approval({
		compound: t.compoundName,
		shortfalls: shortfalls.join(m.records_list_motion_separator()),
		share: share ? m.records_reason_share_after({ share }) : ''
	});
}

export interface Headline {
	/** The words of the headline: 通过 / 未通过（未达到参与门槛） / 未通过 / 咨询性… */
	outcome: string;
	passed: boolean;
	/** Why it did not pass, per failing compound, in plain words; null when it passed or is advisory. */
	reasons: string[];
	/** The failing compound each reason begins with (its name, as written, is marked on the page). */
	compounds?: string[];
}

export function headlineOf(motion: Pick<MotionResult, 'compounds' | 'joint'>): Headline {
	const { joint } = motion;
	if (joint.passed || joint.outcome === 'advisory') return { outcome: outcomeLabel(joint.outcome), passed: joint.passed, reasons: [] };
	const failing = motion.compounds.filter((c) => joint.failingCompoundIds.includes(c.compoundId));
	return {
		outcome: motionOutcome(motion),
		passed: false,
		reasons: failing.map(compoundReason),
		compounds: failing.map((c) => c.compoundName)
	};
}

/** "2026-12-08" → "12月8日" (the year is said only when it is not the current one). */
export function monthDay(isoDay: string, currentYear?: number): string {
	const [y, month, d] = isoDay.split('-').map(Number);
	const withYear = currentYear !== undefined && y !== currentYear;
	if (getLocale() === 'en') return `${d} ${MONTHS[month - 1]}${withYear ? ` ${y}` : ''}`;
	return `${withYear ? `${y}年` : ''}${month}月${d}日`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 公示期 12月8日至12月14日，还有 8 天可以提出异议 — or, once over, 已结束. */
export function disputeLine(dispute: { firstDay: string; lastDay: string }, open: boolean, daysLeft: number, currentYear?: number): string {
	const span = { from: monthDay(dispute.firstDay, currentYear), to: monthDay(dispute.lastDay, currentYear) };
	if (!open) return m.records_dispute_over(span);
	return daysLeft <= 1 ? m.records_dispute_last_day(span) : m.records_dispute_days_left({ ...span, days: daysLeft });
}
