/**
 * 询异公示期: the dispute window. Periods count from the day after publication (民法典 art. 201),
 * in China time (UTC+8, no daylight saving): published on 3月1日 at any hour with 7 days, the
 * window is 3月2日–3月8日 and ends at 3月9日 00:00 Beijing time. Holidays do not extend it here;
 * staff choose a longer window when a holiday falls inside (see README).
 */
export const DEFAULT_DISPUTE_DAYS = 7;
export const MIN_DISPUTE_DAYS = 1;
export const MAX_DISPUTE_DAYS = 30;

const DAY_MS = 24 * 3600_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

/** Days since 1970-01-01 of the China calendar date of an instant. */
export function chinaDayNumber(ms: number): number {
	return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The instant China's calendar day `dayNumber` starts (00:00 Beijing time). */
export function chinaMidnight(dayNumber: number): number {
	return dayNumber * DAY_MS - CHINA_OFFSET_MS;
}

/** "2026-03-09" for a China calendar day. */
export function chinaDateString(ms: number): string {
	return new Date(chinaMidnight(chinaDayNumber(ms)) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Parses "YYYY-MM-DD" as a China calendar date; null when it is not a real date. */
export function parseChinaDate(text: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
	if (!m) return null;
	const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	const d = new Date(utc);
	if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
	return utc / DAY_MS;
}

export interface DisputeWindow {
	/** First day objections may be filed is the publication day itself; the count starts the day after. */
	firstDay: string;
	lastDay: string;
	/** Objections are accepted while now < endsAt. */
	endsAt: number;
}

export function disputeWindow(publishedAt: number, days: number): DisputeWindow {
	if (!Number.isInteger(days) || days < MIN_DISPUTE_DAYS || days > MAX_DISPUTE_DAYS) {
		throw new RangeError(`dispute window must be ${MIN_DISPUTE_DAYS}–${MAX_DISPUTE_DAYS} days`);
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
