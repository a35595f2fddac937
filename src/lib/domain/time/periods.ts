/**
 * 期间 (statutory periods), 民法典 arts. 201–204:
 * - art. 201: a period counted in days starts on the day after its start;
 * - art. 203 ¶1: if its last day is a statutory rest day, the day after the rest days is the last day;
 * - art. 203 ¶2: the last day ends at 24:00.
 * Pure functions of a calendar; nothing here reads a clock.
 *
 * The sentences are messages: a form's refusal reads in the reader's language, while what a ballot stores
 * and its record hashes (PERIOD_RULE_TEXT, the calendar note) is Chinese, asked for with { locale: 'zh-CN' }.
 */
import { formatChinaDay } from '../../i18n/format.ts';
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';
import { dayStatus, holidayLabel, type RestDayCalendar } from './calendar.ts';
import { chinaDayNumber, dayToIso, endOfChinaDay, yearOf } from './china-date.ts';

/** The legal rule as the record states and hashes it: stays Chinese in every language. */
export const PERIOD_RULE_TEXT =
	'期间自开始的次日起算（民法典第二百零一条）；最后一日是法定休假日的，以休假日结束的次日为最后一日（第二百零三条第一款）；最后一日到二十四时止（第二百零三条第二款）';

/** Which calendar decided: the versions of the years consulted and the years known only by weekends. */
export interface CalendarUse {
	versions: string[];
	/** Years with no calendar entry: only Saturdays and Sundays were treated as rest days. */
	weekendsOnlyYears: number[];
}

export interface RuleEnd {
	/** The last day chosen or counted (a China day number). */
	nominalLastDay: number;
	/** The last day under art. 203 ¶1: the first working day on or after nominalLastDay. */
	lastDay: number;
	/** 24:00 of lastDay (art. 203 ¶2). */
	endsAt: number;
	moved: boolean;
	/** The rest days skipped, with their reason (周六, 国庆节、中秋节 …). */
	skipped: { date: string; reason: string }[];
	calendar: CalendarUse;
}

/** The longest run of rest days looked through (the longest holiday plus weekends is far shorter). */
const MAX_REST_RUN = 40;

/** Art. 203 ¶1 applied to a last day: the first working day on or after it. */
export function ruleLastDay(calendar: RestDayCalendar, nominalLastDay: number): RuleEnd {
	const skipped: { date: string; reason: string }[] = [];
	const versions = new Set<string>();
	const weekendsOnly = new Set<number>();
	let day = nominalLastDay;
	for (let i = 0; ; i++) {
		const status = dayStatus(calendar, day);
		const year = calendar.get(yearOf(day));
		if (year) versions.add(year.version);
		else weekendsOnly.add(yearOf(day));
		if (!status.rest) break;
		if (i >= MAX_REST_RUN) throw new RangeError('rest-day calendar has no working day within 40 days');
		skipped.push({ date: dayToIso(day), reason: status.reason });
		day++;
	}
	return {
		nominalLastDay,
		lastDay: day,
		endsAt: endOfChinaDay(day),
		moved: day !== nominalLastDay,
		skipped,
		calendar: { versions: [...versions].sort(), weekendsOnlyYears: [...weekendsOnly].sort() }
	};
}

export interface Period extends RuleEnd {
	/** The first day counted: the day after the start (art. 201). */
	firstDay: number;
	days: number;
}

/** A period of `days` days that starts at the instant `startMs` (e.g. the publication of a notice). */
export function periodFrom(calendar: RestDayCalendar, startMs: number, days: number): Period {
	if (!Number.isInteger(days) || days < 1) throw new RangeError('a period lasts at least one day');
	const firstDay = chinaDayNumber(startMs) + 1;
	return { firstDay, days, ...ruleLastDay(calendar, firstDay + days - 1) };
}

/** The China day on which a period ending at the instant `endsAt` has its last day (24:00 belongs to the day before). */
export function lastDayOfEnd(endsAt: number): number {
	return chinaDayNumber(endsAt - 1);
}

/** 2025年10月9日（星期四）24:00 / Thu 9 Oct 2025, 24:00, in the reader's language. */
export function formatEnd(day: number): string {
	return m.voting_period_end_of_day({ day: formatChinaDay(day) });
}

const WEEKEND_WORDS: Record<string, () => string> = { 星期六: m.voting_period_saturday, 星期日: m.voting_period_sunday };

/** A rest day's reason (the calendar's Chinese name) in the reader's language; an unknown name as entered. */
function reasonWord(reason: string): string {
	return WEEKEND_WORDS[reason]?.() ?? holidayLabel(reason) ?? reason;
}

/** A sentence for the form, in the reader's language, when the end was moved: why, and to which day. */
export function describeMove(end: RuleEnd): string | null {
	if (!end.moved) return null;
	const reasons = [...new Set(end.skipped.map((s) => reasonWord(s.reason)))].join(m.voting_list_separator());
	return m.voting_period_moved({ day: formatChinaDay(end.nominalLastDay), reasons, end: formatEnd(end.lastDay) });
}

/**
 * A sentence naming the calendar used, and saying so when only weekends were known: in the reader's language for
 * a form, and with { locale: 'zh-CN' } for the calendar note a ballot stores and its record hashes.
 */
export function describeCalendar(use: CalendarUse, options: { locale?: Locale } = {}): string {
	const parts: string[] = [];
	const list = (items: unknown[]) => items.join(m.voting_list_separator({}, options));
	if (use.versions.length > 0) parts.push(m.voting_period_calendar_versions({ versions: list(use.versions) }, options));
	if (use.weekendsOnlyYears.length > 0) parts.push(m.voting_period_weekends_only({ years: list(use.weekendsOnlyYears) }, options));
	return parts.join(m.voting_semicolon({}, options));
}
