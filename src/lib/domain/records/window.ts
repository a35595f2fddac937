/**
 * 询异公示期: the dispute window. Periods count from the day after publication (民法典 art. 201),
 * in China time (UTC+8, no daylight saving): published on 3月1日 at any hour with 7 days, the
 * window is 3月2日–3月8日 and ends at 3月9日 00:00 Beijing time. With a rest-day calendar, a last day
 * that is a statutory rest day moves to the next working day (art. 203 ¶1); records published before
 * the calendar existed keep the plain count they were published with.
 */
import { BUILT_IN_YEARS, buildCalendar, type RestDayCalendar } from '../time/calendar.ts';
import { chinaDayNumber, chinaDateString, chinaMidnight, dayToIso, parseChinaDate } from '../time/china-date.ts';
import { periodFrom, PERIOD_RULE_TEXT, ruleLastDay, type CalendarUse } from '../time/periods.ts';
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

/**
 * Recounts the dates of a dispute window stated in a record (records published since the rest-day
 * calendar): the count from the day after publication, the rule's end at 24:00, and — when every
 * calendar version named is one shipped with Yishi — the very day the rule gives. Years entered by
 * an administrator can only be checked against their stored entry (the database keeps every version).
 */
export function disputeDateProblems(
	dispute: { days: number; firstDay: string; lastDay: string; endsAt: string; nominalLastDay?: string; calendar?: CalendarUse } | null,
	publishedAt: string
): { zh: string; en: string }[] {
	if (!dispute || !dispute.calendar || !dispute.nominalLastDay) return [];
	if (!Array.isArray(dispute.calendar.versions) || !Number.isInteger(dispute.days))
		return [{ zh: '询异期的日历信息无法读取', en: 'dispute window calendar unreadable' }];
	const problems: { zh: string; en: string }[] = [];
	const published = Date.parse(publishedAt);
	const first = parseChinaDate(dispute.firstDay);
	const nominal = parseChinaDate(dispute.nominalLastDay);
	const last = parseChinaDate(dispute.lastDay);
	if (first === null || nominal === null || last === null || !Number.isFinite(published))
		return [{ zh: '询异期日期无法读取', en: 'dispute window dates unreadable' }];
	if (first !== chinaDayNumber(published) + 1)
		problems.push({ zh: '询异期不是从公示次日起算', en: 'dispute window does not start the day after publication' });
	if (nominal !== first + dispute.days - 1)
		problems.push({ zh: '询异期天数与日期不符', en: 'dispute window length does not match its dates' });
	if (last < nominal) problems.push({ zh: '询异期最后一日早于按天数计算的日期', en: 'dispute window ends before its counted last day' });
	if (Date.parse(dispute.endsAt) !== chinaMidnight(last + 1))
		problems.push({ zh: '询异期截止时刻不是最后一日24时', en: 'dispute window does not end at 24:00 of its last day' });
	const shipped = BUILT_IN_YEARS.filter((y) => dispute.calendar!.versions.includes(y.version));
	if (shipped.length === dispute.calendar.versions.length) {
		const rule = ruleLastDay(buildCalendar(shipped), nominal);
		if (rule.lastDay !== last)
			problems.push({
				zh: `按法定节假日重算，询异期最后一日应为 ${dayToIso(rule.lastDay)}`,
				en: `recounted dispute window last day is ${dayToIso(rule.lastDay)}`
			});
	}
	return problems;
}
