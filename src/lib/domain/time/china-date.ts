/**
 * China civil dates (Asia/Shanghai: UTC+8 all year, no daylight saving since 1991). One module for
 * every date rule, so that a "day" means the same thing on the form, in the service and on the record.
 *
 * A day is an integer: days since 1970-01-01 of the China calendar. "YYYY-MM-DD" strings are parsed
 * strictly: 2026-02-31 is not a date (no rolling over into March), nor is 2026-13-01, nor 24:00 as
 * a time of day; every form refuses them with the same words (notADate, notADateTime), in the reader's language.
 *
 * No date library: one fixed offset needs no time-zone database, and pages that show dates ship
 * this file to the browser. Measured with esbuild --minify, gzip -9 (December 2026): date-fns 4 +
 * @date-fns/tz doing the same strict parse and format, 45 KB / 11.0 KB gzip; this whole module,
 * 1.0 KB gzip.
 */
import { m } from '../../paraglide/messages.js';

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
	return m ? civilDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

function civilDay(year: number, month: number, date: number): number | null {
	const utc = Date.UTC(year, month - 1, date);
	const d = new Date(utc);
	if (year < 1000 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== date) return null;
	return utc / DAY_MS;
}

/**
 * Parses a China wall-clock time as a browser's datetime-local field sends it ("2026-03-09T14:30",
 * seconds optional; a space instead of T is taken too) into an instant; null for a day that is not
 * on the calendar or a time outside 00:00–23:59.
 */
export function parseChinaDateTime(text: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
	if (!m) return null;
	const day = civilDay(Number(m[1]), Number(m[2]), Number(m[3]));
	const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
	if (day === null || hour > 23 || minute > 59 || second > 59) return null;
	return chinaMidnight(day) + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** 00:00 China time of a day written YYYY-MM-DD, or null when it is not a date (2026-02-31 is not). */
export function chinaDayStart(isoDay: string): number | null {
	const day = parseChinaDate(isoDay);
	return day === null ? null : chinaMidnight(day);
}

/**
 * The one refusal of a date that is not on the calendar or not written YYYY-MM-DD, on every form, in the
 * reader's language; `what` names the field in that language too.
 */
export function notADate(what: string): string {
	return sentence(m.date_not_a_date({ what }));
}

/** The same for a date with a time of day. */
export function notADateTime(what: string): string {
	return sentence(m.date_not_a_datetime({ what }));
}

/** A field's name may be written for the middle of a sentence ("the meeting time"); this one starts with it. */
function sentence(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The short note beside the field that holds such a date. */
export function notADateField(): string {
	return m.date_no_such_day();
}

/** Day of the week of a China calendar day: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

/** The year of a China calendar day. */
export function yearOf(day: number): number {
	return new Date(day * DAY_MS).getUTCFullYear();
}

/** The year in China at an instant. */
export function chinaYear(ms: number): number {
	return yearOf(chinaDayNumber(ms));
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A date as a notice board writes it: 2026年11月22日. */
export function formatDate(ms: number): string {
	const d = new Date(chinaDayNumber(ms) * DAY_MS);
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** A date and time in China Standard Time, the way a notice board writes it: 2026年11月22日 14:05. */
export function formatDateTime(ms: number): string {
	const minutes = Math.floor((ms - chinaMidnight(chinaDayNumber(ms))) / 60_000);
	return `${formatDate(ms)} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** "2026-03-09 14:05", China time: for logs and command-line output. */
export function chinaDateTimeString(ms: number): string {
	const minutes = Math.floor((ms - chinaMidnight(chinaDayNumber(ms))) / 60_000);
	return `${chinaDateString(ms)} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** "2025年10月9日（星期四）" for a China calendar day. */
export function formatChinaDay(day: number): string {
	const d = new Date(day * DAY_MS);
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日（${WEEKDAY_NAMES[weekday(day)]}）`;
}
