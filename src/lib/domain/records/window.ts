/**
 * 询异公示期: the dispute window. Periods count from the day after publication (民法典 art. 201),
 * in China time (UTC+8, no daylight saving): published on 3月1日 at any hour with 7 days, the
 * window is 3月2日–3月8日 and ends at 3月9日 00:00 Beijing time. With a rest-day calendar, a last day
 * that is a statutory rest day moves to the next working day (art. 203 ¶1); records published before
 * the calendar existed keep the plain count they were published with.
 */
import type { RestDayCalendar } from '../time/calendar.ts';
import { chinaDayNumber, chinaDateString, chinaMidnight, dayToIso } from '../time/china-date.ts';
import { periodFrom, PERIOD_RULE_TEXT, type CalendarUse } from '../time/periods.ts';
export const DEFAULT_DISPUTE_DAYS = 7;
export const MIN_DISPUTE_DAYS = 1;
export const MAX_DISPUTE_DAYS = 30;

export { chinaDayNumber, chinaMidnight, chinaDateString, parseChinaDate } from '../time/china-date.ts';

export interface DisputeWindow {
	/** First day objections may be filed is the publication day itself; the count starts the day after. */
	firstDay: string;
	lastDay: string;
	/** Objections are accepted while now < endsAt. */
	endsAt: number;
	/** With a calendar: the day the count reached, the rule and the calendar (hashed into new records). */
	nominalLastDay?: string;
	rule?: string;
	calendar?: CalendarUse;
}

export function disputeWindow(publishedAt: number, days: number, calendar?: RestDayCalendar): DisputeWindow {
	if (!Number.isInteger(days) || days < MIN_DISPUTE_DAYS || days > MAX_DISPUTE_DAYS) {
		throw new RangeError(`dispute window must be ${MIN_DISPUTE_DAYS}–${MAX_DISPUTE_DAYS} days`);
	}
	if (calendar) {
		const period = periodFrom(calendar, publishedAt, days);
		return {
			firstDay: dayToIso(period.firstDay),
			lastDay: dayToIso(period.lastDay),
			endsAt: period.endsAt,
			nominalLastDay: dayToIso(period.nominalLastDay),
			rule: PERIOD_RULE_TEXT,
			calendar: period.calendar
		};
	}
	const published = chinaDayNumber(publishedAt);
	const endsAt = chinaMidnight(published + days + 1);
	return {
		firstDay: chinaDateString(chinaMidnight(published + 1)),
		lastDay: chinaDateString(chinaMidnight(published + days)),
		endsAt
	};
}

export function isWindowOpen(endsAt: number, now: number): boolean {
	return now < endsAt;
}

/** Whole China calendar days left including today; 0 once the window has ended. */
export function daysLeft(endsAt: number, now: number): number {
	if (now >= endsAt) return 0;
	return chinaDayNumber(endsAt - 1) - chinaDayNumber(now) + 1;
}
