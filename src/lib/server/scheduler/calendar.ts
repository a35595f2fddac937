/**
 * The installation's rest-day calendar: the years the administrator entered (latest entry of each
 * year wins), over the years shipped with Yishi. Periods are computed from it wherever they decide
 * something (notice, voting window, dispute window).
 */
import { desc, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import {
	BUILT_IN_YEARS,
	buildCalendar,
	parseYearText,
	yearCalendar,
	type CalendarDay,
	type RestDayCalendar,
	type YearCalendar
} from '../../domain/time/calendar.ts';
import { requireAccess } from '../access.ts';
import type { Database, Tx } from '../db/client.ts';
import { restDayYears } from '../db/schema/index.ts';
import { InvalidInput } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { chinaYear } from '../../domain/time/china-date.ts';
import { m } from '../../paraglide/messages.js';

type Reader = Database['db'] | Tx;

/** Entered years, newest entry first per year. */
async function enteredYears(db: Reader): Promise<(YearCalendar & { enteredAt: number })[]> {
	// Newest first; rowid breaks a tie between two entries made in the same millisecond.
	const rows = await db
		.select()
		.from(restDayYears)
		.orderBy(desc(restDayYears.enteredAt), desc(sql`rowid`));
	const latest = new Map<number, YearCalendar & { enteredAt: number }>();
	for (const row of rows) {
		if (latest.has(row.year)) continue;
		const days = JSON.parse(row.days) as CalendarDay[];
		latest.set(row.year, { year: row.year, source: row.source, days, version: row.version, enteredAt: row.enteredAt });
	}
	return [...latest.values()];
}

/** The calendar in force: shipped years, replaced by any year the administrator entered. */
export async function loadCalendar(db: Reader): Promise<RestDayCalendar> {
	return buildCalendar(BUILT_IN_YEARS, await enteredYears(db));
}

export interface CalendarYearView {
	year: number;
	source: string;
	version: string;
	restDays: number;
	workDays: number;
	/** built_in: shipped with Yishi; entered: by the administrator (enteredAt). */
	origin: 'built_in' | 'entered';
	enteredAt: number | null;
	days: CalendarDay[];
}

/** Every year the installation knows, for the administration page. */
export async function calendarYears(database: Database, actor: Actor): Promise<CalendarYearView[]> {
	requireAccess(actor, 'admin.calendar', { compounds: [] });
	const entered = await enteredYears(database.db);
	const views = new Map<number, CalendarYearView>();
	const view = (y: YearCalendar, origin: 'built_in' | 'entered', enteredAt: number | null): CalendarYearView => ({
		year: y.year,
		source: y.source,
		version: y.version,
		restDays: y.days.filter((d) => d.kind === 'rest').length,
		workDays: y.days.filter((d) => d.kind === 'work').length,
		origin,
		enteredAt,
		days: y.days
	});
	for (const y of BUILT_IN_YEARS) views.set(y.year, view(y, 'built_in', null));
	for (const y of entered) views.set(y.year, view(y, 'entered', y.enteredAt));
	return [...views.values()].sort((a, b) => b.year - a.year);
}

/**
 * Enters (or enters again) one year from the text of the State Council notice; see parseYearText for
 * the format. The previous entry stays in the table, so records naming its version keep their meaning.
 */
export async function enterCalendarYear(
	database: Database,
	actor: Actor,
	input: { year: number; text: string; source?: string }
): Promise<{ version: string; days: number }> {
	requireAccess(actor, 'admin.calendar', { compounds: [] });
	if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
		throw new InvalidInput(m.admin_calendar_bad_year(), { year: m.admin_calendar_bad_year_field() });
	const parsed = parseYearText(input.year, input.text ?? '', input.source ?? '');
	if (!parsed.ok)
		throw new InvalidInput(parsed.problems.map((p) => p.message).join(m.admin_calendar_problems_join()), {
			text: m.admin_calendar_text_field()
		});
	const year = yearCalendar(parsed.year.year, parsed.year.source, parsed.year.days);
	await database.write(async (tx) => {
		await tx.insert(restDayYears).values({
			id: newId(),
			year: year.year,
			source: year.source,
			days: JSON.stringify(year.days),
			version: year.version,
			enteredBy: actor.userId,
			enteredAt: clock.now()
		});
		await audit(tx, {
			actorId: actor.userId,
			action: 'calendar.enter',
			subjectType: 'calendar',
			subjectId: String(year.year),
			detail: { version: year.version, source: year.source }
		});
	});
	return { version: year.version, days: year.days.length };
}

/**
 * For forms: which of the years from `from` to `to` have no calendar entry (weekends only), and the
 * sources of those that have one.
 */
export async function calendarCoverage(
	db: Reader,
	from: number,
	to: number
): Promise<{ known: { year: number; source: string; version: string }[]; missing: number[] }> {
	const calendar = await loadCalendar(db);
	const first = chinaYear(from);
	const last = chinaYear(to);
	const known: { year: number; source: string; version: string }[] = [];
	const missing: number[] = [];
	for (let year = first; year <= last; year++) {
		const entry = calendar.get(year);
		if (entry) known.push({ year, source: entry.source, version: entry.version });
		else missing.push(year);
	}
	return { known, missing };
}
