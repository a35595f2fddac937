/**
 * What a record says first, in the words a resident uses. The joint result alone ("未通过") misleads
 * when most voters agreed but too few owners took part: the reason comes first, then the share
 * that agreed. Pure: the page and its unit test share it.
 */
import type { CompoundTally, MotionResult, ThresholdCheck } from '$lib/domain/voting/types';
import { motionOutcomeWords } from '$lib/domain/records/outcome';

const FRACTION_WORDS: Record<string, string> = { '1/2': '半数', '2/3': '三分之二', '3/4': '四分之三', '1/1': '全部' };

function fractionWords(f: { numerator: number; denominator: number }): string {
	return FRACTION_WORDS[`${f.numerator}/${f.denominator}`] ?? `${f.numerator}/${f.denominator}`;
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
		return `参与表决的 ${t.participating.persons} 人中 ${t.yes.persons} 人同意（${percent(t.yes.persons, t.participating.persons)}）`;
	}
	if (t.attendees === 0) return null;
	return `到会的 ${t.attendees} 人中 ${t.yes} 人同意（${percent(t.yes, t.attendees)}）`;
}

function compoundReason(t: CompoundTally): string {
	const missed = missedParticipation(t);
	if (t.outcome === 'quorum_not_met' || missed.length > 0) {
		const parts = missed.map((c) => {
			const what = c.id === 'participation_area' ? '面积' : c.id === 'meeting_quorum' ? '到会人数' : '人数';
			return `${what}只有 ${percent(c.actual.numerator, c.actual.denominator)}`;
		});
		const required = missed[0] ? `，需要${fractionWords(missed[0].required)}以上` : '';
		const share = agreedShare(t);
		const who = t.kind === 'owners' ? '参与表决的业主' : '到会的居民';
		return `${t.compoundName}${who}不够（${parts.join('、')}${required}），同意的再多也不能通过${share ? `；${share}` : ''}`;
	}
	const failed = t.thresholds.filter((c) => !c.met);
	const share = agreedShare(t);
	if (failed.length === 0) return `${t.compoundName}未通过`;
	const shortfalls = failed.map((c) => {
		const needed = `${c.comparison === 'at_least' ? '' : '超过'}${fractionWords(c.required)}${c.comparison === 'at_least' ? '以上' : ''}`;
		return `${c.label} ${percent(c.actual.numerator, c.actual.denominator)}，需要${needed}`;
	});
	return `${t.compoundName}同意的不够（${shortfalls.join('；')}）${share ? `；${share}` : ''}`;
}

export interface Headline {
	/** The words of the headline: 通过 / 未通过（未达到参与门槛） / 未通过 / 咨询性… */
	outcome: string;
	passed: boolean;
	/** Why it did not pass, per failing compound, in plain words; null when it passed or is advisory. */
	reasons: string[];
}

export function headlineOf(motion: Pick<MotionResult, 'compounds' | 'joint'>): Headline {
	const { joint } = motion;
	if (joint.passed || joint.outcome === 'advisory') return { outcome: joint.outcomeLabel, passed: joint.passed, reasons: [] };
	const failing = motion.compounds.filter((c) => joint.failingCompoundIds.includes(c.compoundId));
	return {
		outcome: motionOutcomeWords(motion),
		passed: false,
		reasons: failing.map(compoundReason)
	};
}

/** "2026-12-08" → "12月8日" (the year is said only when it is not the current one). */
export function monthDay(isoDay: string, currentYear?: number): string {
	const [y, m, d] = isoDay.split('-').map(Number);
	return `${currentYear !== undefined && y !== currentYear ? `${y}年` : ''}${m}月${d}日`;
}

/** 公示期 12月8日至12月14日，还有 8 天可以提出异议 — or, once over, 已结束. */
export function disputeLine(dispute: { firstDay: string; lastDay: string }, open: boolean, daysLeft: number, currentYear?: number): string {
	const span = `公示期 ${monthDay(dispute.firstDay, currentYear)}至${monthDay(dispute.lastDay, currentYear)}`;
	if (!open) return `${span}，已经结束。`;
	return daysLeft <= 1 ? `${span}，今天是最后一天可以提出异议。` : `${span}，还有 ${daysLeft} 天可以提出异议。`;
}
