/**
 * China civil dates (Asia/Shanghai: UTC+8 all year, no daylight saving since 1991). One module for
 * every date rule, so that a "day" means the same thing on the form, in the service and on the record.
 *
 * A day is an integer: days since 1970-01-01 of the China calendar. "YYYY-MM-DD" strings are parsed
 * strictly: 2026-02-31 is not a date (no rolling over into March).
 */
export const DAY_MS = 24 * 3600_000;
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** The China calendar day of an instant. */
export function chinaDayNumber(ms: number): number {
	return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The instant a China calendar day starts (00:00 Beijing time); also 24:00 of the day before. */
export function chinaMidnight(day: number): number {
	return day * DAY_MS - CHINA_OFFSET_MS;
}

/** 24:00 of a China calendar day: the instant a period whose last day it is ends (民法典 art. 203 ¶2). */
export function endOfChinaDay(day: number): number {
	return chinaMidnight(day + 1);
}

/** "2026-03-09" for a China calendar day number. */
export function dayToIso(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "2026-03-09", the China date of an instant. */
export function chinaDateString(ms: number): string {
	return dayToIso(chinaDayNumber(ms));
}

/** Parses "YYYY-MM-DD" as a China calendar day number; null when it is not a real date. */
export function parseChinaDate(text: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
	if (!m) return null;
	const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const utc = Date.UTC(year, month - 1, date);
	const d = new Date(utc);
	if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== date) return null;
	return utc / DAY_MS;
}

/** Day of the week of a China calendar day: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

/** The year of a China calendar day. */
export function yearOf(day: number): number {
	return new Date(day * DAY_MS).getUTCFullYear();
}

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** "2025年10月9日（星期四）" for a China calendar day. */
export function formatChinaDay(day: number): string {
	const d = new Date(day * DAY_MS);
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日（${WEEKDAY_NAMES[weekday(day)]}）`;
}
