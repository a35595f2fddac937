/**
 * The periods of an owners' vote, under 民法典 arts. 201/203 over the installation's calendar:
 * - 公告期 (notice): at least noticeDays whole days, counted from the day after the notice; voting
 *   opens at the earliest when that period has ended (its last day moved past rest days);
 * - 投票期 (voting window): MIN–MAX days; its last day (the day of closesAt, 24:00 belonging to the
 *   day before) must be a working day — a chosen last day on a rest day is refused with the rule's
 *   date proposed (never an earlier one), and the longest window may run on to that date.
 */
import type { RestDayCalendar } from './calendar.ts';
import { chinaDayNumber, dayToIso } from './china-date.ts';
import {
	describeCalendar,
	describeMove,
	formatEnd,
	lastDayOfEnd,
	periodFrom,
	PERIOD_RULE_TEXT,
	ruleLastDay,
	type CalendarUse,
	type Period
} from './periods.ts';

const DAY_MS = 24 * 3600_000;

/** The notice period started at `from` (now, or the notice's publication). Voting may open from its endsAt. */
export function noticePeriod(calendar: RestDayCalendar, from: number, noticeDays: number): Period {
	return periodFrom(calendar, from, noticeDays);
}

/** What a ballot keeps of its periods (periods_json), and what its record states. */
export interface BallotPeriods {
	rule: string;
	notice: { days: number; countedFrom: string; lastDay: string; nominalLastDay: string; earliestOpening: string };
	window: { opensOn: string; lastDay: string; closesAt: string };
	calendar: CalendarUse;
	/** A sentence for people: which calendar, or that only weekends were known. */
	calendarNote: string;
}

export type PeriodCheck =
	{ ok: true; periods: BallotPeriods } | { ok: false; message: string; fields: Record<string, string>; proposedLastDay?: string };

function mergeUse(a: CalendarUse, b: CalendarUse): CalendarUse {
	return {
		versions: [...new Set([...a.versions, ...b.versions])].sort(),
		weekendsOnlyYears: [...new Set([...a.weekendsOnlyYears, ...b.weekendsOnlyYears])].sort()
	};
}

export function votingPeriods(
	calendar: RestDayCalendar,
	input: { noticeFrom: number; noticeDays: number; opensAt: number; closesAt: number; minWindowDays: number; maxWindowDays: number }
): PeriodCheck {
	const { opensAt, closesAt, minWindowDays, maxWindowDays } = input;
	const windowMs = closesAt - opensAt;
	const lastDay = lastDayOfEnd(closesAt);
	const longest = ruleLastDay(calendar, lastDayOfEnd(opensAt + maxWindowDays * DAY_MS));
	if (windowMs < minWindowDays * DAY_MS || (windowMs > maxWindowDays * DAY_MS && lastDay > longest.lastDay)) {
		return { ok: false, message: `投票期须为 ${minWindowDays} 到 ${maxWindowDays} 天`, fields: { closesAt: '投票期长度不对' } };
	}
	const end = ruleLastDay(calendar, lastDay);
	if (end.moved) {
		return {
			ok: false,
			message: `${describeMove(end)}。请把截止日期改为${dayToIso(end.lastDay)}，或另选一个工作日。${describeCalendar(end.calendar)}`,
			fields: { closesOn: '截止日是法定休息日', proposedCloseDay: dayToIso(end.lastDay) },
			proposedLastDay: dayToIso(end.lastDay)
		};
	}
	const notice = noticePeriod(calendar, input.noticeFrom, input.noticeDays);
	if (opensAt < notice.endsAt) {
		const move = describeMove(notice);
		return {
			ok: false,
			message:
				`须提前 ${input.noticeDays} 天公告（自公告次日起算${move ? `；${move}` : ''}）：` +
				`投票最早可在${formatEnd(notice.lastDay)}之后、即${dayToIso(notice.lastDay + 1)}开始`,
			fields: { opensAt: '太早了', proposedOpenDay: dayToIso(notice.lastDay + 1) }
		};
	}
	const use = mergeUse(end.calendar, notice.calendar);
	return {
		ok: true,
		periods: {
			rule: PERIOD_RULE_TEXT,
			notice: noticeOf(notice, input.noticeDays),
			window: { opensOn: dayToIso(chinaDayNumber(opensAt)), lastDay: dayToIso(lastDay), closesAt: new Date(closesAt).toISOString() },
			calendar: use,
			calendarNote: describeCalendar(use)
		}
	};
}

function noticeOf(notice: Period, days: number): BallotPeriods['notice'] {
	return {
		days,
		countedFrom: dayToIso(notice.firstDay),
		nominalLastDay: dayToIso(notice.nominalLastDay),
		lastDay: dayToIso(notice.lastDay),
		earliestOpening: new Date(notice.endsAt).toISOString()
	};
}

/** The periods with the notice period as it ran from the notice's actual publication. */
export function withNotice(periods: BallotPeriods, notice: Period): BallotPeriods {
	const calendar = mergeUse(periods.calendar, notice.calendar);
	return { ...periods, notice: noticeOf(notice, notice.days), calendar, calendarNote: describeCalendar(calendar) };
}

/**
 * Dates that are valid under the rules, for seeds, demos and tests that work relative to "now":
 * opening at 00:00 of the first day after the notice period, closing at 24:00 of the window's
 * `windowDays`-th day (counting the opening day), moved to the next working day when it is a rest day.
 */
export function lawfulSchedule(
	calendar: RestDayCalendar,
	now: number,
	noticeDays: number,
	windowDays: number
): { opensAt: number; closesAt: number } {
	const opensAt = noticePeriod(calendar, now, noticeDays).endsAt;
	const closesAt = ruleLastDay(calendar, chinaDayNumber(opensAt) + windowDays - 1).endsAt;
	return { opensAt, closesAt };
}
