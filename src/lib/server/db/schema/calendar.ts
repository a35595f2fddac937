import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * 法定节假日日历: one row per entry of a year, appended, never edited. The latest entry of a year is
 * the one in force; earlier ones stay so that a record naming an older calendar version can still be
 * recounted. Years without any row fall back to the years shipped with Yishi (domain/time/calendar.ts),
 * and years unknown to both to weekends only.
 */
export const restDayYears = sqliteTable(
	'rest_day_years',
	{
		id: text('id').primaryKey(),
		year: integer('year').notNull(),
		/** The State Council notice, e.g. 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）. */
		source: text('source').notNull(),
		/** JSON: CalendarDay[] (date, kind rest|work, name), sorted by date. */
		days: text('days').notNull(),
		/** calendarVersion(year, source, days): the fingerprint records name. */
		version: text('version').notNull(),
		enteredBy: text('entered_by'),
		enteredAt: integer('entered_at').notNull()
	},
	(t) => [index('rest_day_years_year').on(t.year, t.enteredAt)]
);
