/**
 * 期间复核: the recount recomputes each period of a record from its start, length, rule and calendar
 * version, and says ✔ or ✘ — here with a voting window that ends on the eve of National Day.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	disputeWindow,
	formatPeriodChecks,
	hashDocument,
	recountPeriods,
	type RecordDocument
} from '../../../src/lib/domain/records/index.ts';
import { votingPeriods, type BallotPeriods } from '../../../src/lib/domain/time/ballot-periods.ts';
import { BUILT_IN_YEARS, buildCalendar, WEEKENDS_ONLY } from '../../../src/lib/domain/time/calendar.ts';
import { chinaMidnight, parseChinaDate } from '../../../src/lib/domain/time/china-date.ts';

const cal = buildCalendar(BUILT_IN_YEARS);
const d = (iso: string) => parseChinaDate(iso)!;
const beijing = (iso: string, hh = 10) => chinaMidnight(d(iso)) + hh * 3600_000;

/** Periods as createBallot computes them: notice from 09-01, voting 09-22 to 09-30 24:00 (the eve of National Day). */
function periodsOf(calendar = cal, opensOn = '2025-09-22', closesAfter = '2025-09-30', noticeFrom = '2025-09-01'): BallotPeriods {
	const checked = votingPeriods(calendar, {
		noticeFrom: beijing(noticeFrom),
		noticeDays: 15,
		opensAt: chinaMidnight(d(opensOn)),
		closesAt: chinaMidnight(d(closesAfter) + 1),
		minWindowDays: 5,
		maxWindowDays: 60
	});
	if (!checked.ok) throw new Error(checked.message);
	return checked.periods;
}

type PeriodsOfRecord = Pick<RecordDocument, 'content' | 'dispute' | 'publishedAt' | 'stage'>;

const iso = (ms: number) => new Date(ms).toISOString();

/** The window stated to end on National Day itself (24:00 of 10-01). */
const onNationalDay = (p: BallotPeriods): BallotPeriods => ({
	...p,
	window: { ...p.window, lastDay: '2025-10-01', closesAt: iso(chinaMidnight(d('2025-10-02'))) }
});

function recordOf(periods: BallotPeriods, publishedOn = '2025-09-26'): PeriodsOfRecord {
	const w = disputeWindow(beijing(publishedOn), 7, cal);
	return {
		stage: 'preliminary',
		publishedAt: new Date(beijing(publishedOn)).toISOString(),
		dispute: {
			days: 7,
			firstDay: w.firstDay,
			lastDay: w.lastDay,
			endsAt: new Date(w.endsAt).toISOString(),
			nominalLastDay: w.nominalLastDay,
			rule: w.rule,
			calendar: w.calendar
		},
		content: { ballot: { periods } } as RecordDocument['content']
	};
}

describe('recounting the periods of a record', () => {
	it(
		'a window ending on the eve of National Day (a working Tuesday), ' + 'a notice and a dispute window moved past the holiday: all ✔',
		() => {
			const checks = recountPeriods(recordOf(periodsOf()));
			expect(checks.map((c) => [c.name, c.ok, c.holidaysChecked])).toEqual([
				['公告期', true, true],
				['投票期', true, true],
				['询异期', true, true]
			]);
			expect(formatPeriodChecks(checks)).toEqual([
				'✔ 公告期 15 天，2025-09-02 至 2025-09-16',
				'✔ 投票期 2025-09-22 至 2025-09-30（截止 2025-09-30T16:00:00.000Z）',
				'✔ 询异期 7 天，2025-09-27 至 2025-10-09（第 7 天 2025-10-03 顺延）'
			]);
		}
	);

	it.each([
		{
			name: 'a window stated to end on National Day itself',
			edit: onNationalDay,
			period: '投票期',
			says: '截止日应顺延至 2025-10-09'
		},
		{
			name: 'a notice whose last day is a day early',
			edit: (p: BallotPeriods) => ({ ...p, notice: { ...p.notice, lastDay: '2025-09-15' } }),
			period: '公告期',
			says: '应为 2025-09-16'
		},
		{
			name: 'a notice counted one day short',
			edit: (p: BallotPeriods) => ({ ...p, notice: { ...p.notice, days: 16 } }),
			period: '公告期',
			says: '第 16 天应为 2025-09-17'
		},
		{
			name: 'a closing time outside the stated last day',
			edit: (p: BallotPeriods) => ({ ...p, window: { ...p.window, closesAt: iso(chinaMidnight(d('2025-10-01')) + 3600_000) } }),
			period: '投票期',
			says: '不在 2025-09-30 这一天之内'
		}
	])('✘ $name', ({ edit, period, says }) => {
		const check = recountPeriods(recordOf(edit(periodsOf()))).find((c) => c.name === period)!;
		expect(check.ok).toBe(false);
		expect(formatPeriodChecks([check])[0]).toMatch(/^✘ /);
		expect(check.problems.join('；')).toContain(says);
	});

	it('a final record repeats its preliminary’s dispute window: recounted on the preliminary only', () => {
		const final = { ...recordOf(periodsOf()), stage: 'final' as const, publishedAt: new Date(beijing('2025-10-10')).toISOString() };
		expect(recountPeriods(final).map((c) => [c.name, c.ok])).toEqual([
			['公告期', true],
			['投票期', true]
		]);
	});

	it('a record computed while a year had no calendar is recounted with weekends only, as it was', () => {
		// 2026-10-01 is National Day in the 2026 calendar shipped since, but a Thursday: weekends only did not move it.
		const periods = periodsOf(WEEKENDS_ONLY, '2026-09-22', '2026-10-01', '2026-09-01');
		expect(periods.calendar).toEqual({ versions: [], weekendsOnlyYears: [2026] });
		expect(recountPeriods(recordOf(periods, '2025-09-26')).every((c) => c.ok)).toBe(true);
	});

	it('a calendar entered by the administrator: only the counting is checked, and the line says so', () => {
		const p = periodsOf();
		const checks = recountPeriods(recordOf({ ...p, calendar: { versions: ['2025-0123456789ab'], weekendsOnlyYears: [] } }));
		expect(checks[0].holidaysChecked).toBe(false);
		expect(formatPeriodChecks(checks)[0]).toContain('离线只核对了天数和起止');
	});

	it('npm run recount on a downloaded record prints ✔ per period, and ✘ with exit 1 for a wrong date', { timeout: 60_000 }, () => {
		const root = fileURLToPath(new URL('../../../', import.meta.url));
		const dir = mkdtempSync(join(tmpdir(), 'yishi-periods-'));
		const write = (periods: BallotPeriods) => {
			const base = recordOf(periods);
			const document = {
				format: 'yishi-outcome-record',
				version: 3,
				id: 'r1',
				seq: 1,
				itemId: 'r1',
				versionNo: 1,
				stage: 'preliminary',
				supersedesId: null,
				correction: null,
				publishedAt: base.publishedAt,
				dispute: base.dispute,
				content: {
					title: '期间复核',
					ballot: { periods },
					voteExport: { format: 'yishi-vote-export', version: 1, sha256: '0'.repeat(64) }
				},
				objections: [],
				prevHash: null
			} as unknown as RecordDocument;
			const file = join(dir, `record-${periods.window.lastDay}.json`);
			const record = { format: 'yishi-record', id: 'r1', seq: 1, hash: hashDocument(document).hash, prevHash: null, document };
			writeFileSync(file, JSON.stringify(record));
			return spawnSync('npx', ['tsx', 'src/cli/recount.ts', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
		};
		const good = write(periodsOf());
		expect(good.stdout).toContain('✔ 投票期 2025-09-22 至 2025-09-30');
		expect(good.stdout).toContain('✔ 公告期');
		expect(good.status).toBe(0);
		const bad = write(onNationalDay(periodsOf()));
		expect(bad.stdout).toContain('✘ 投票期 2025-09-22 至 2025-10-01');
		expect(bad.stdout).toContain('截止日应顺延至 2025-10-09');
		expect(bad.status).toBe(1);
	});
});
