import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	BUILT_IN_YEARS,
	buildCalendar,
	dayStatus,
	isRestDay,
	parseYearText,
	WEEKENDS_ONLY,
	yearCalendar,
	yearToText,
	type CalendarDay,
	type RestDayCalendar
} from '../../../src/lib/domain/time/calendar.ts';
import {
	chinaDateString,
	chinaDayStart,
	chinaMidnight,
	dayToIso,
	parseChinaDate,
	weekday
} from '../../../src/lib/domain/time/china-date.ts';
import { describeCalendar, describeMove, periodFrom, ruleLastDay } from '../../../src/lib/domain/time/periods.ts';
import { disputeDateProblems, disputeWindow } from '../../../src/lib/domain/records/window.ts';

const cal = buildCalendar(BUILT_IN_YEARS);
const d = (iso: string) => parseChinaDate(iso)!;
/** An instant given in Beijing time. */
const beijing = (iso: string, hh = 10, mm = 0) => chinaMidnight(d(iso)) + (hh * 60 + mm) * 60_000;

describe('China dates: one module, strict', () => {
	it.each(['2026-02-31', '2026-02-29', '2025-13-01', '2025-00-10', '2025-9-1', ''])('%s is not a date anywhere', (text) => {
		expect(parseChinaDate(text)).toBeNull();
		expect(chinaDayStart(text)).toBeNull();
	});
	it('a date starts at 00:00 Beijing time, 16:00 UTC the day before', () => {
		expect(new Date(chinaDayStart('2024-02-29')!).toISOString()).toBe('2024-02-28T16:00:00.000Z');
		expect(chinaDateString(Date.UTC(2025, 8, 30, 16, 0))).toBe('2025-10-01');
		expect(chinaDateString(Date.UTC(2025, 8, 30, 15, 59))).toBe('2025-09-30');
	});
	it('weekdays', () => {
		expect(weekday(d('2025-10-01'))).toBe(3);
		expect(weekday(d('1970-01-01'))).toBe(4);
		expect(weekday(d('1969-12-28'))).toBe(0);
	});
});

describe('the shipped calendars (2025: 国办发明电〔2024〕12号; 2026: the notice of 2025-11-04)', () => {
	it.each([
		{
			year: 2025,
			source: '国办发明电〔2024〕12号',
			work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
			rest: 1 + 8 + 3 + 5 + 3 + 8
		},
		{
			year: 2026,
			source: '2026年部分节假日安排',
			work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
			rest: 3 + 9 + 3 + 5 + 3 + 3 + 7
		}
	])('$year: names its source; every 调休 working day is a weekend day; every day lies in the year', ({ year, source, work, rest }) => {
		const y = BUILT_IN_YEARS.find((y) => y.year === year)!;
		expect(y.source).toContain(source);
		for (const day of y.days) {
			if (day.kind === 'work') expect([0, 6]).toContain(weekday(d(day.date)));
			expect(day.date.startsWith(`${year}-`)).toBe(true);
		}
		expect(y.days.filter((x) => x.kind === 'work').map((x) => x.date)).toEqual(work);
		expect(y.days.filter((x) => x.kind === 'rest')).toHaveLength(rest);
	});

	it.each([
		['2025-09-27', true, '星期六'],
		['2025-09-28', false, '国庆节调休上班'],
		['2025-09-30', false, '工作日'],
		['2025-10-01', true, '国庆节、中秋节'],
		['2025-10-04', true, '国庆节、中秋节'],
		['2025-10-08', true, '国庆节、中秋节'],
		['2025-10-09', false, '工作日'],
		['2025-10-11', false, '国庆节调休上班'],
		['2025-10-12', true, '星期日'],
		['2025-01-26', false, '春节调休上班'],
		['2025-02-04', true, '春节'],
		['2025-06-02', true, '端午节'],
		['2026-02-22', true, '春节'],
		['2026-02-24', false, '工作日'],
		['2026-10-07', true, '国庆节'],
		['2026-10-10', false, '国庆节调休上班'],
		['2026-09-27', true, '中秋节']
	])('%s rest=%s (%s)', (iso, rest, reason) => {
		expect(dayStatus(cal, d(iso))).toEqual({ rest, reason, yearKnown: true });
	});

	it('a year without an entry knows only weekends, and says so', () => {
		expect(dayStatus(cal, d('2027-10-01'))).toEqual({ rest: false, reason: '工作日', yearKnown: false });
		expect(isRestDay(cal, d('2027-10-03'))).toBe(true);
	});
});

describe('periods (民法典 arts. 201, 203)', () => {
	// start (Beijing time), days → first day, the counted last day, the rule's last day
	it.each([
		// the eve of National Day: a working Tuesday, not moved
		['2025-09-20', 10, '2025-09-21', '2025-09-30', '2025-09-30'],
		// ending inside the holiday: moved past it to Thursday 10-09
		['2025-09-20', 11, '2025-09-21', '2025-10-01', '2025-10-09'],
		['2025-09-20', 15, '2025-09-21', '2025-10-05', '2025-10-09'],
		['2025-09-20', 18, '2025-09-21', '2025-10-08', '2025-10-09'],
		// ending on a 调休 working Sunday / Saturday: not moved
		['2025-09-20', 8, '2025-09-21', '2025-09-28', '2025-09-28'],
		['2025-10-01', 10, '2025-10-02', '2025-10-11', '2025-10-11'],
		// an ordinary Saturday before the 调休 Sunday: moved one day, to that Sunday
		['2025-09-20', 7, '2025-09-21', '2025-09-27', '2025-09-28'],
		['2025-10-01', 11, '2025-10-02', '2025-10-12', '2025-10-13'],
		// Spring Festival: the eve is a working Monday; inside moves to 02-05
		['2025-01-12', 15, '2025-01-13', '2025-01-27', '2025-01-27'],
		['2025-01-12', 16, '2025-01-13', '2025-01-28', '2025-02-05'],
		['2025-01-10', 15, '2025-01-11', '2025-01-25', '2025-01-26'],
		// 元旦 and 端午 on the edge of a weekend
		['2024-12-17', 15, '2024-12-18', '2025-01-01', '2025-01-02'],
		['2025-05-16', 15, '2025-05-17', '2025-05-31', '2025-06-03'],
		// 2026 (shipped): the eve of National Day is a working Wednesday; inside moves to 10-08;
		// the 调休 working Sunday 09-20 is not moved; inside the Spring Festival moves to 02-24
		['2026-09-15', 15, '2026-09-16', '2026-09-30', '2026-09-30'],
		['2026-09-16', 15, '2026-09-17', '2026-10-01', '2026-10-08'],
		['2026-09-05', 15, '2026-09-06', '2026-09-20', '2026-09-20'],
		['2026-02-01', 15, '2026-02-02', '2026-02-16', '2026-02-24'],
		['2026-01-30', 15, '2026-01-31', '2026-02-14', '2026-02-14'],
		// years without a calendar: weekends only (2027-10-01 is a Friday)
		['2027-09-16', 15, '2027-09-17', '2027-10-01', '2027-10-01'],
		['2027-09-18', 15, '2027-09-19', '2027-10-03', '2027-10-04']
	])('from %s, %i days: counts %s…%s, ends %s 24:00', (start, days, first, nominal, last) => {
		const p = periodFrom(cal, beijing(start), days);
		expect(dayToIso(p.firstDay)).toBe(first);
		expect(dayToIso(p.nominalLastDay)).toBe(nominal);
		expect(dayToIso(p.lastDay)).toBe(last);
		expect(p.endsAt).toBe(chinaMidnight(d(last) + 1));
		expect(p.moved).toBe(nominal !== last);
	});

	it('the hour of the start does not matter, only its Beijing date (art. 201)', () => {
		const early = periodFrom(cal, beijing('2025-09-20', 0, 1), 11);
		const late = periodFrom(cal, beijing('2025-09-20', 23, 59), 11);
		expect(early).toEqual(late);
	});

	it('the record names the rule, the skipped days and the calendar version', () => {
		const p = periodFrom(cal, beijing('2025-09-20'), 11);
		expect(p.skipped.map((s) => s.date)).toEqual([
			'2025-10-01',
			'2025-10-02',
			'2025-10-03',
			'2025-10-04',
			'2025-10-05',
			'2025-10-06',
			'2025-10-07',
			'2025-10-08'
		]);
		expect(p.calendar).toEqual({ versions: [BUILT_IN_YEARS[0].version], weekendsOnlyYears: [] });
		expect(describeMove(p)).toBe(
			'2025年10月1日（星期三）是法定休息日（国庆节、中秋节），按民法典第二百零三条顺延至2025年10月9日（星期四）24:00'
		);
		const unknown = periodFrom(cal, beijing('2027-09-18'), 15);
		expect(describeCalendar(unknown.calendar)).toBe('2027 年尚未录入国务院节假日安排，只按周六、周日计算休息日');
	});

	it('a period crossing into an unknown year at its end records both', () => {
		const p = ruleLastDay(
			buildCalendar([yearCalendar(2025, 'x', [{ date: '2025-12-31', kind: 'rest', name: '测试' }])]),
			d('2025-12-31')
		);
		expect(dayToIso(p.lastDay)).toBe('2026-01-01');
		expect(p.calendar.weekendsOnlyYears).toEqual([2026]);
		expect(p.calendar.versions).toHaveLength(1);
	});

	it('the dispute window moves its last day out of a holiday, and keeps the plain count without a calendar', () => {
		const withCal = disputeWindow(beijing('2025-09-26'), 7, cal);
		expect(withCal).toMatchObject({
			firstDay: '2025-09-27',
			nominalLastDay: '2025-10-03',
			lastDay: '2025-10-09',
			endsAt: chinaMidnight(d('2025-10-10'))
		});
		const plain = disputeWindow(beijing('2025-09-26'), 7);
		expect(plain).toEqual({ firstDay: '2025-09-27', lastDay: '2025-10-03', endsAt: chinaMidnight(d('2025-10-04')) });
	});
});

describe('moved end dates (property)', () => {
	const restDays = fc.uniqueArray(fc.integer({ min: d('2024-01-01'), max: d('2027-12-31') }), { maxLength: 120 });
	const calendars = fc
		.tuple(restDays, fc.uniqueArray(fc.integer({ min: d('2024-01-01'), max: d('2027-12-31') }), { maxLength: 20 }))
		.map(([rest, work]): RestDayCalendar => {
			const byYear = new Map<number, CalendarDay[]>();
			const workSet = new Set(work);
			for (const day of rest)
				if (!workSet.has(day))
					byYear.set(Number(dayToIso(day).slice(0, 4)), [
						...(byYear.get(Number(dayToIso(day).slice(0, 4))) ?? []),
						{ date: dayToIso(day), kind: 'rest', name: '假' }
					]);
			for (const day of work)
				if ([0, 6].includes(weekday(day)))
					byYear.set(Number(dayToIso(day).slice(0, 4)), [
						...(byYear.get(Number(dayToIso(day).slice(0, 4))) ?? []),
						{ date: dayToIso(day), kind: 'work', name: '班' }
					]);
			return buildCalendar([...byYear].map(([year, days]) => yearCalendar(year, 'test', days)));
		});

	it("the rule's date is never earlier than the chosen day, is a working day, and skips only rest days", () => {
		fc.assert(
			fc.property(
				fc.oneof(calendars, fc.constant(cal), fc.constant(WEEKENDS_ONLY)),
				fc.integer({ min: d('2024-01-01'), max: d('2027-11-30') }),
				(calendar, chosen) => {
					const end = ruleLastDay(calendar, chosen);
					expect(end.lastDay).toBeGreaterThanOrEqual(chosen);
					expect(isRestDay(calendar, end.lastDay)).toBe(false);
					for (let day = chosen; day < end.lastDay; day++) expect(isRestDay(calendar, day)).toBe(true);
					expect(end.moved).toBe(end.lastDay !== chosen);
					expect(end.endsAt).toBe(chinaMidnight(end.lastDay + 1));
				}
			)
		);
	});

	it('a longer period never ends earlier', () => {
		fc.assert(
			fc.property(fc.integer({ min: d('2024-06-01'), max: d('2026-06-01') }), fc.integer({ min: 1, max: 60 }), (start, days) => {
				const a = periodFrom(cal, chinaMidnight(start), days);
				const b = periodFrom(cal, chinaMidnight(start), days + 1);
				expect(b.endsAt).toBeGreaterThanOrEqual(a.endsAt);
				expect(a.lastDay).toBeGreaterThanOrEqual(start + days);
			})
		);
	});
});

describe('entering a year (text import)', () => {
	it('the shipped year written out and read back has the same version', () => {
		const y = BUILT_IN_YEARS[0];
		const parsed = parseYearText(2025, yearToText(y));
		expect(parsed).toEqual({ ok: true, year: y });
	});

	it('reads ranges and 调休 lines', () => {
		const parsed = parseYearText(
			2025,
			'来源：测试通知\n# 国庆\n2025-10-01..2025-10-08 休 国庆节、中秋节\n2025-09-28 班 国庆节调休上班\n'
		);
		expect(parsed.ok && parsed.year.days).toHaveLength(9);
	});

	it.each([
		['2025-02-30 休 假', '第 2 行的日期不存在'],
		['2025-10-09 班 调休', '本来就是工作日'],
		['2025-10-01 休 国庆\n2025-10-01 休 国庆', '写了两次'],
		['2024-10-01 休 国庆', '不在 2025 年'],
		['国庆 10月1日', '看不懂'],
		['2025-10-08..2025-10-01 休 国庆', '起止日期不对']
	])('%j is refused: %s', (text, message) => {
		const parsed = parseYearText(2025, `来源：测试\n${text}`);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.problems.map((p) => p.message).join(' ')).toContain(message);
	});

	it('a year needs its source', () => {
		const parsed = parseYearText(2025, '2025-10-01 休 国庆');
		expect(!parsed.ok && parsed.problems[0].message).toContain('来源');
	});
});

describe('recounting a record’s dispute window', () => {
	const publishedAt = new Date(beijing('2025-09-26')).toISOString();
	const stated = () => {
		const w = disputeWindow(beijing('2025-09-26'), 7, cal);
		return {
			days: 7,
			firstDay: w.firstDay,
			lastDay: w.lastDay,
			endsAt: new Date(w.endsAt).toISOString(),
			nominalLastDay: w.nominalLastDay,
			calendar: w.calendar
		};
	};
	it('reproduces the dates from the publication, the days and the shipped calendar', () => {
		expect(disputeDateProblems(stated(), publishedAt)).toEqual([]);
	});
	it('names a last day the rule does not give, and a window counted from the wrong day', () => {
		const early = { ...stated(), lastDay: '2025-10-08', endsAt: new Date(chinaMidnight(d('2025-10-09'))).toISOString() };
		expect(disputeDateProblems(early, publishedAt).map((p) => p.zh)).toEqual(['按法定节假日重算，询异期最后一日应为 2025-10-09']);
		expect(disputeDateProblems(stated(), new Date(beijing('2025-09-25')).toISOString()).map((p) => p.en)).toContain(
			'dispute window does not start the day after publication'
		);
	});
	it('leaves records from before the calendar alone', () => {
		const w = disputeWindow(beijing('2025-09-26'), 7);
		expect(
			disputeDateProblems(
				{ days: 7, firstDay: w.firstDay, lastDay: w.lastDay, endsAt: new Date(w.endsAt).toISOString() },
				publishedAt
			)
		).toEqual([]);
	});
});
