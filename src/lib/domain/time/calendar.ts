/**
 * 法定节假日日历 (the rest-day calendar of an installation). Rest days are the weekends and the
 * public holidays of the State Council's yearly notice, minus its 调休 working weekends (DOMAIN.md §4).
 * The administrator enters each year from the notice (or imports a small text file); a year without
 * an entry falls back to weekends only, and everything computed from it says so.
 *
 * Shipped: 2025, from 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）, and 2026, from
 * 国务院办公厅关于2026年部分节假日安排的通知 (dated 2025-11-04, released by 新华社 the same day; its text was
 * checked against several reprints of that release, which do not print the document number, so none is named).
 * Later years are entered by the administrator from the notice of that year; no dates are guessed.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { dayToIso, parseChinaDate, weekday, yearOf } from './china-date.ts';
import { m } from '../../paraglide/messages.js';

export interface CalendarDay {
	/** YYYY-MM-DD */
	date: string;
	/** rest: a public holiday (放假); work: a 调休 working weekend day (上班). */
	kind: 'rest' | 'work';
	/** 春节, 国庆节、中秋节, 春节调休上班 … */
	name: string;
}

export interface YearCalendar {
	year: number;
	/** The notice this year was entered from, e.g. 国办发明电〔2024〕12号. */
	source: string;
	days: CalendarDay[];
	/** A fingerprint of the year's content: the same days and source give the same version. */
	version: string;
}

/** Every year the installation knows; years not present fall back to weekends only. */
export type RestDayCalendar = ReadonlyMap<number, YearCalendar>;

export const SOURCE_2025 = '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）';

export const SOURCE_2026 = '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布）';

function range(from: string, to: string, name: string): CalendarDay[] {
	const days: CalendarDay[] = [];
	for (let d = parseChinaDate(from)!; d <= parseChinaDate(to)!; d++) days.push({ date: dayToIso(d), kind: 'rest', name });
	return days;
}

const DAYS_2025: CalendarDay[] = [
	...range('2025-01-01', '2025-01-01', '元旦'),
	...range('2025-01-28', '2025-02-04', '春节'),
	{ date: '2025-01-26', kind: 'work', name: '春节调休上班' },
	{ date: '2025-02-08', kind: 'work', name: '春节调休上班' },
	...range('2025-04-04', '2025-04-06', '清明节'),
	...range('2025-05-01', '2025-05-05', '劳动节'),
	{ date: '2025-04-27', kind: 'work', name: '劳动节调休上班' },
	...range('2025-05-31', '2025-06-02', '端午节'),
	...range('2025-10-01', '2025-10-08', '国庆节、中秋节'),
	{ date: '2025-09-28', kind: 'work', name: '国庆节调休上班' },
	{ date: '2025-10-11', kind: 'work', name: '国庆节调休上班' }
];

const DAYS_2026: CalendarDay[] = [
	...range('2026-01-01', '2026-01-03', '元旦'),
	{ date: '2026-01-04', kind: 'work', name: '元旦调休上班' },
	...range('2026-02-15', '2026-02-23', '春节'),
	{ date: '2026-02-14', kind: 'work', name: '春节调休上班' },
	{ date: '2026-02-28', kind: 'work', name: '春节调休上班' },
	...range('2026-04-04', '2026-04-06', '清明节'),
	...range('2026-05-01', '2026-05-05', '劳动节'),
	{ date: '2026-05-09', kind: 'work', name: '劳动节调休上班' },
	...range('2026-06-19', '2026-06-21', '端午节'),
	...range('2026-09-25', '2026-09-27', '中秋节'),
	...range('2026-10-01', '2026-10-07', '国庆节'),
	{ date: '2026-09-20', kind: 'work', name: '国庆节调休上班' },
	{ date: '2026-10-10', kind: 'work', name: '国庆节调休上班' }
];

/** The fingerprint of a year's entry: SHA-256 over its sorted days and source, first 12 hex digits. */
export function calendarVersion(year: number, source: string, days: readonly CalendarDay[]): string {
	const lines = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map((d) => `${d.date} ${d.kind} ${d.name}`);
	const text = [`year ${year}`, `source ${source}`, ...lines].join('\n');
	return `${year}-${encodeHexLowerCase(sha256(new TextEncoder().encode(text))).slice(0, 12)}`;
}

export function yearCalendar(year: number, source: string, days: CalendarDay[]): YearCalendar {
	const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	return { year, source, days: sorted, version: calendarVersion(year, source, sorted) };
}

/** The years shipped with Yishi (only notices whose text is public and known with certainty). */
export const BUILT_IN_YEARS: readonly YearCalendar[] = [
	yearCalendar(2025, SOURCE_2025, DAYS_2025),
	yearCalendar(2026, SOURCE_2026, DAYS_2026)
];

/** A calendar from year entries; a later entry for the same year replaces an earlier one. */
export function buildCalendar(...entries: readonly (readonly YearCalendar[])[]): RestDayCalendar {
	const map = new Map<number, YearCalendar>();
	for (const list of entries) for (const y of list) map.set(y.year, y);
	return map;
}

export const WEEKENDS_ONLY: RestDayCalendar = new Map();

export interface DayStatus {
	rest: boolean;
	/** 周六 / 周日 / the holiday's name / 调休上班 */
	reason: string;
	/** False when the day's year has no calendar entry: only weekends were known. */
	yearKnown: boolean;
}

/** Whether a China calendar day is a statutory rest day under the calendar. */
export function dayStatus(calendar: RestDayCalendar, day: number): DayStatus {
	const year = calendar.get(yearOf(day));
	const iso = dayToIso(day);
	const entry = year?.days.find((d) => d.date === iso);
	if (entry) return { rest: entry.kind === 'rest', reason: entry.name, yearKnown: true };
	const wd = weekday(day);
	const weekend = wd === 0 || wd === 6;
	return { rest: weekend, reason: weekend ? (wd === 0 ? '星期日' : '星期六') : '工作日', yearKnown: year !== undefined };
}

export function isRestDay(calendar: RestDayCalendar, day: number): boolean {
	return dayStatus(calendar, day).rest;
}

export interface ParseProblem {
	line: number;
	message: string;
}

export type ParsedYear = { ok: true; year: YearCalendar } | { ok: false; problems: ParseProblem[] };

/**
 * Reads a calendar year from text, one day or range per line, as the administrator copies it from
 * the notice:
 *
 *   来源：国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
 *   2025-01-01 休 元旦
 *   2025-01-28..2025-02-04 休 春节
 *   2025-01-26 班 春节调休上班
 *
 * Blank lines and lines starting with # are ignored. Every problem is reported with its line.
 */
export function parseYearText(year: number, text: string, fallbackSource = ''): ParsedYear {
	const problems: ParseProblem[] = [];
	const days = new Map<string, CalendarDay>();
	let source = fallbackSource.trim();
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((raw, i) => {
		const line = raw.trim();
		const n = i + 1;
		if (line === '' || line.startsWith('#')) return;
		const src = /^(?:来源|source)\s*[:：]\s*(.+)$/i.exec(line);
		if (src) {
			source = src[1].trim();
			return;
		}
		const match = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:\.\.|至|~)\s*(\d{4}-\d{2}-\d{2}))?\s+(休|班|rest|work)\s*(.*)$/i.exec(line);
		if (!match) {
			problems.push({ line: n, message: m.admin_cal_parse_unreadable({ n }) });
			return;
		}
		const from = parseChinaDate(match[1]);
		const to = match[2] ? parseChinaDate(match[2]) : from;
		if (from === null || to === null) {
			problems.push({ line: n, message: m.admin_cal_parse_no_such_day({ n }) });
			return;
		}
		if (to < from || to - from > 31) {
			problems.push({ line: n, message: m.admin_cal_parse_bad_range({ n }) });
			return;
		}
		const kind = match[3] === '班' || match[3].toLowerCase() === 'work' ? 'work' : 'rest';
		const name = match[4].trim() || (kind === 'rest' ? '放假' : '调休上班');
		for (let d = from; d <= to; d++) {
			const iso = dayToIso(d);
			if (yearOf(d) !== year) {
				problems.push({ line: n, message: m.admin_cal_parse_other_year({ n, day: iso, year }) });
				return;
			}
			const wd = weekday(d);
			if (kind === 'work' && wd !== 0 && wd !== 6) {
				problems.push({ line: n, message: m.admin_cal_parse_weekday_work({ n, day: iso }) });
				return;
			}
			if (days.has(iso)) {
				problems.push({ line: n, message: m.admin_cal_parse_twice({ n, day: iso }) });
				return;
			}
			days.set(iso, { date: iso, kind, name: name.slice(0, 40) });
		}
	});
	if (source.length === 0) problems.push({ line: 0, message: m.admin_cal_parse_no_source() });
	if (days.size === 0 && problems.length === 0) problems.push({ line: 0, message: m.admin_cal_parse_no_days() });
	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, year: yearCalendar(year, source.slice(0, 200), [...days.values()]) };
}

/** The text form of a year, the same format parseYearText reads (for editing and export). */
export function yearToText(year: YearCalendar): string {
	return [`来源：${year.source}`, ...year.days.map((d) => `${d.date} ${d.kind === 'rest' ? '休' : '班'} ${d.name}`)].join('\n');
}

const HOLIDAYS: Record<string, () => string> = {
	元旦: m.admin_cal_holiday_new_year,
	春节: m.admin_cal_holiday_spring,
	清明节: m.admin_cal_holiday_qingming,
	劳动节: m.admin_cal_holiday_labour,
	端午节: m.admin_cal_holiday_dragon_boat,
	中秋节: m.admin_cal_holiday_mid_autumn,
	国庆节: m.admin_cal_holiday_national,
	放假: m.admin_cal_holiday_day_off,
	调休上班: m.admin_cal_holiday_makeup
};

/**
 * A day's name as the administration page shows it, in the reader's language: the names of the State
 * Council notice (国庆节、中秋节, 春节调休上班, …) are known; any other name is shown as entered (null).
 * The stored name, and so the year's version, stays as entered.
 */
export function holidayLabel(name: string): string | null {
	const makeup = name.endsWith('调休上班') && name !== '调休上班' ? name.slice(0, -'调休上班'.length) : null;
	const parts = (makeup ?? name).split('、');
	if (!parts.every((p) => Object.hasOwn(HOLIDAYS, p))) return null;
	const holiday = parts.map((p) => HOLIDAYS[p]()).join(m.admin_cal_holiday_and());
	return makeup === null ? holiday : m.admin_cal_holiday_makeup_for({ holiday });
}
