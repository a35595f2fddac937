import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILT_IN_YEARS, buildCalendar, isRestDay } from '../../../src/lib/domain/time/calendar.ts';
import { chinaMidnight, dayToIso, parseChinaDate } from '../../../src/lib/domain/time/china-date.ts';
import { lastDayOfEnd } from '../../../src/lib/domain/time/periods.ts';
import { lawfulSchedule, noticePeriod, votingPeriods } from '../../../src/lib/domain/time/ballot-periods.ts';

const cal = buildCalendar(BUILT_IN_YEARS);
const DAY = 24 * 3600_000;
const d = (iso: string) => parseChinaDate(iso)!;
const beijing = (iso: string, hh = 10) => chinaMidnight(d(iso)) + hh * 3600_000;
const check = (noticeFrom: number, opensAt: number, closesAt: number) =>
	votingPeriods(cal, { noticeFrom, noticeDays: 15, opensAt, closesAt, minWindowDays: 5, maxWindowDays: 60 });

describe('the periods of a ballot', () => {
	it('a notice period ending inside National Day 2025 pushes the earliest opening past the holiday', () => {
		// Noticed 09-16: the 15 days are 09-17..10-01; 10-01 is a holiday, so the period ends 10-09 24:00.
		const notice = noticePeriod(cal, beijing('2025-09-16'), 15);
		expect(dayToIso(notice.lastDay)).toBe('2025-10-09');
		const early = check(beijing('2025-09-16'), chinaMidnight(d('2025-10-02')), chinaMidnight(d('2025-10-21')));
		expect(early).toMatchObject({ ok: false, fields: { proposedOpenDay: '2025-10-10' } });
		expect(check(beijing('2025-09-16'), chinaMidnight(d('2025-10-10')), chinaMidnight(d('2025-10-21')))).toMatchObject({ ok: true });
	});

	it('the eve of a holiday is a valid closing day; a day inside it is refused with the day after the holiday', () => {
		const opensAt = chinaMidnight(d('2025-09-15'));
		expect(check(beijing('2025-08-20'), opensAt, chinaMidnight(d('2025-10-01')))).toMatchObject({
			ok: true,
			periods: { window: { lastDay: '2025-09-30' } }
		});
		const inside = check(beijing('2025-08-20'), opensAt, chinaMidnight(d('2025-10-04')));
		expect(inside).toMatchObject({ ok: false, proposedLastDay: '2025-10-09' });
		expect(!inside.ok && inside.message).toContain('国庆节、中秋节');
	});

	it('a 60-day window whose last day is a rest day may run on to the working day after it, no further', () => {
		const opensAt = chinaMidnight(d('2025-08-03')); // day 60 is Wed 10-01, inside the holiday
		expect(dayToIso(lastDayOfEnd(opensAt + 60 * DAY))).toBe('2025-10-01');
		expect(check(beijing('2025-07-01'), opensAt, chinaMidnight(d('2025-10-10')))).toMatchObject({ ok: true });
		expect(check(beijing('2025-07-01'), opensAt, chinaMidnight(d('2025-10-11')))).toMatchObject({
			ok: false,
			message: '投票期须为 5 到 60 天'
		});
	});

	it('lawfulSchedule gives dates the check accepts, from any day', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: d('2024-06-01'), max: d('2027-06-01') }),
				fc.integer({ min: 0, max: DAY - 1 }),
				fc.integer({ min: 5, max: 60 }),
				(day, ms, days) => {
					const now = chinaMidnight(day) + ms;
					const { opensAt, closesAt } = lawfulSchedule(cal, now, 15, days);
					expect(check(now, opensAt, closesAt)).toMatchObject({ ok: true });
				}
			)
		);
	});

	it('a proposed closing day is never earlier than the chosen one, is a working day, and is accepted', () => {
		fc.assert(
			fc.property(fc.integer({ min: d('2024-06-01'), max: d('2027-06-01') }), fc.integer({ min: 5, max: 55 }), (openDay, length) => {
				const now = chinaMidnight(openDay - 40);
				const opensAt = chinaMidnight(openDay);
				const closesAt = chinaMidnight(openDay + length);
				const result = check(now, opensAt, closesAt);
				if (result.ok) {
					expect(isRestDay(cal, lastDayOfEnd(closesAt))).toBe(false);
				} else {
					const proposed = d(result.proposedLastDay!);
					expect(proposed).toBeGreaterThanOrEqual(lastDayOfEnd(closesAt));
					expect(isRestDay(cal, proposed)).toBe(false);
					expect(check(now, opensAt, chinaMidnight(proposed + 1))).toMatchObject({ ok: true });
				}
			})
		);
	});
});
