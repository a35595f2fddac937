/**
 * The periods of an owners' vote, under 民法典 arts. 201/203 over the installation's calendar:
 * - 公告期 (notice): at least noticeDays whole days, counted from the day after the notice; voting
 *   opens at the earliest when that period has ended (its last day moved past rest days);
 * - 投票期 (voting window): MIN–MAX days; its last day (the day of closesAt, 24:00 belonging to the
 *   day before) must be a working day — a chosen last day on a rest day is refused with the rule's
 *   date proposed (never an earlier one), and the longest window may run on to that date.
 */
import { m } from '../../paraglide/messages.js';
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
	/** A sentence for people, stored in Chinese: which calendar, or that only weekends were known. */
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
		return {
			ok: false,
			message: m.voting_period_window_length({ min: minWindowDays, max: maxWindowDays }),
			fields: { closesAt: m.voting_period_window_length_field() }
		};
	}
	const end = ruleLastDay(calendar, lastDay);
	if (end.moved) {
		return {
			ok: false,
			message: m.voting_period_close_on_rest_day({
				move: describeMove(end)!,
				day: dayToIso(end.lastDay),
				calendar: describeCalendar(end.calendar)
			}),
			fields: { closesOn: m.voting_period_close_on_rest_day_field(), proposedCloseDay: dayToIso(end.lastDay) },
			proposedLastDay: dayToIso(end.lastDay)
		};
	}
	const notice = noticePeriod(calendar, input.noticeFrom, input.noticeDays);
	if (opensAt < notice.endsAt) {
		const move = describeMove(notice);
		return {
			ok: false,
			message: (move ? m.voting_period_notice_too_short_moved : m.voting_period_notice_too_short)({
				days: input.noticeDays,
				move: move ?? '',
				end: formatEnd(notice.lastDay),
				day: dayToIso(notice.lastDay + 1)
			}),
			fields: { opensAt: m.voting_period_too_early_field(), proposedOpenDay: dayToIso(notice.lastDay + 1) }
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
			// Stored in periods_json and hashed into the record: Chinese whatever the reader's language.
			calendarNote: describeCalendar(use, { locale: 'zh-CN' })
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
	return { ...periods, notice: noticeOf(notice, notice.days), calendar, calendarNote: describeCalendar(calendar, { locale: 'zh-CN' }) };
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
