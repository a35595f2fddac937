import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { calendarYears, enterCalendarYear, loadCalendar } from '../../../src/lib/server/scheduler/calendar.ts';
import { restDayYears } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import { isRestDay } from '../../../src/lib/domain/time/calendar.ts';
import { parseChinaDate } from '../../../src/lib/domain/time/china-date.ts';
import { createBallot, loadBallot, publishNotice } from '../../../src/lib/server/voting/index.ts';
import { clock } from '../../../src/lib/server/util/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { publishedAgendaItem } from '../../helpers/agenda.ts';
import { DAY, fakeTime, newCompound, newStaff } from '../voting/factories.ts';

let database: TestDatabase;
let admin: Awaited<ReturnType<typeof newStaff>>;
beforeEach(async () => {
	fakeTime(Date.UTC(2027, 8, 1, 2)); // 2027-09-01 10:00 Beijing time
	database = await createTestDatabase();
	admin = await newStaff(database, 'admin', null);
});
afterEach(() => {
	database.destroy();
	vi.restoreAllMocks();
});

// An invented year for the test (2027 has no State Council notice yet): one holiday week and one 调休 Saturday.
const YEAR_TEXT = '来源：测试用安排（非真实通知）\n2027-10-01..2027-10-07 休 国庆节\n2027-10-09 班 国庆节调休上班\n';
const d = (iso: string) => parseChinaDate(iso)!;

describe('the installation calendar', () => {
	it(
		'ships 2025 and 2026; a year entered by the administrator is used from then on; ' + 'a new entry replaces it, erasing nothing',
		async () => {
			expect((await calendarYears(database, admin.actor)).map((y) => [y.year, y.origin])).toEqual([
				[2026, 'built_in'],
				[2025, 'built_in']
			]);
			expect(isRestDay(await loadCalendar(database.db), d('2027-10-05'))).toBe(false);

			const first = await enterCalendarYear(database, admin.actor, { year: 2027, text: YEAR_TEXT });
			const calendar = await loadCalendar(database.db);
			const rest = (iso: string) => isRestDay(calendar, d(iso));
			expect([rest('2027-10-05'), rest('2027-10-09'), rest('2027-10-10')]).toEqual([true, false, true]);

			const second = await enterCalendarYear(database, admin.actor, {
				year: 2027,
				text: YEAR_TEXT.replace('2027-10-07', '2027-10-08')
			});
			expect(second.version).not.toBe(first.version);
			expect((await loadCalendar(database.db)).get(2027)!.version).toBe(second.version);
			expect(await database.db.select().from(restDayYears).where(eq(restDayYears.year, 2027))).toHaveLength(2);
			await expect(database.db.delete(restDayYears)).rejects.toThrow();
		}
	);

	it('refuses anyone but the administrator, and tells what is wrong with a line', async () => {
		const compound = await newCompound(database, { units: 1 });
		const staff = await newStaff(database, 'committee_staff', compound.compoundId);
		await expect(enterCalendarYear(database, staff.actor, { year: 2027, text: YEAR_TEXT })).rejects.toThrow(AccessDenied);
		await expect(calendarYears(database, staff.actor)).rejects.toThrow(AccessDenied);
		await expect(enterCalendarYear(database, admin.actor, { year: 2026, text: '来源：x\n2026-02-30 休 假' })).rejects.toThrow(
			'第 2 行的日期不存在'
		);
		await expect(enterCalendarYear(database, admin.actor, { year: 1999, text: YEAR_TEXT })).rejects.toThrow('请填写年份');
	});

	it(
		'a ballot whose closing day falls in an entered holiday is refused with the rule’s date; ' +
			'one on the 调休 Saturday is accepted and keeps the calendar version',
		async () => {
			await enterCalendarYear(database, admin.actor, { year: 2027, text: YEAR_TEXT });
			const compound = await newCompound(database, { units: 2 });
			const committee = await newStaff(database, 'owners_committee', compound.compoundId);
			const agendaItemId = await publishedAgendaItem(database, [compound.compoundId], 'ordinary');
			const opensAt = Date.UTC(2027, 8, 20, 16); // 2027-09-21 00:00 Beijing time
			const input = {
				title: '表决',
				ruleKind: 'ordinary' as const,
				agendaItemId,
				motions: [{ id: 'A', title: '方案A' }],
				compounds: [{ compoundId: compound.compoundId }],
				opensAt
			};
			const onHoliday = createBallot(database, committee.actor, { ...input, closesAt: opensAt + 15 * DAY }); // last day 2027-10-05
			await expect(onHoliday).rejects.toThrow(
				'2027年10月5日（星期二）是法定休息日（国庆节），按民法典第二百零三条顺延至2027年10月8日（星期五）24:00'
			);
			await expect(onHoliday).rejects.toMatchObject({ fields: { proposedCloseDay: '2027-10-08' } });

			// last day Sat 2027-10-09, a 调休 working day
			const { ballotId } = await createBallot(database, committee.actor, { ...input, closesAt: opensAt + 19 * DAY });
			const periods = JSON.parse((await loadBallot(database.db, ballotId)).periodsJson!);
			expect(periods.window).toMatchObject({ opensOn: '2027-09-21', lastDay: '2027-10-09' });
			expect(periods.notice).toMatchObject({ days: 15, countedFrom: '2027-09-02', lastDay: '2027-09-16' });
			expect(periods.calendar.versions).toEqual([(await loadCalendar(database.db)).get(2027)!.version]);
			expect(periods.rule).toContain('第二百零三条');

			// Published two days later: the record states the notice period as it ran.
			vi.spyOn(clock, 'now').mockReturnValue(Date.UTC(2027, 8, 3, 2));
			await publishNotice(database, committee.actor, { ballotId });
			const published = JSON.parse((await loadBallot(database.db, ballotId)).periodsJson!);
			expect(published.notice).toMatchObject({ countedFrom: '2027-09-04', lastDay: '2027-09-20' });
			expect(published.window).toEqual(periods.window);
		}
	);
});
