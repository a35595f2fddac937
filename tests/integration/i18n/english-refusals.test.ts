/**
 * Issue #14 part 5, the gaps session 5 left: the refusals of the voting services, a bad date, the statutory
 * periods' holiday shift and the spreadsheet reader's refusals (worked out in a worker thread, which has no
 * request) come out in English for an English reader — no Chinese outside a bracketed legal term — while a
 * Chinese reader gets exactly the Chinese words as before.
 */
import { describe, expect, it } from 'vitest';
import { m } from '../../../src/lib/paraglide/messages.js';
import { BUILT_IN_YEARS, buildCalendar } from '../../../src/lib/domain/time/calendar.ts';
import { chinaMidnight, parseChinaDate } from '../../../src/lib/domain/time/china-date.ts';
import { votingPeriods } from '../../../src/lib/domain/time/ballot-periods.ts';
import { DomainError, InvalidInput } from '../../../src/lib/server/errors.ts';
import { withLocale } from '../../../src/lib/server/i18n.ts';
import { readXlsxOffThread } from '../../../src/lib/server/roster/xlsx-off-thread.ts';
import { RosterFileError } from '../../../src/lib/domain/roster/index.ts';
import { requireChinaDateTime, requireChinaDay } from '../../../src/lib/server/util/dates.ts';
import {
	castElectronicBallot,
	closeBallot,
	createBallot,
	getResult,
	openBallot,
	proposeOwnerChange,
	proposeSettlement,
	publishNotice,
	recordProxy,
	withdrawPaperEntry
} from '../../../src/lib/server/voting/index.ts';
import { getLocale } from '../../../src/lib/paraglide/runtime.js';
import { auditLog } from '../../../src/lib/server/db/schema/index.ts';
import { chineseOutsideGlosses } from '../../helpers/english.ts';
import { manyEntries } from '../../fixtures/roster/hostile-xlsx.ts';
import { ALL_YES, freshCompoundForEachTest, newNoticedBallot, newOpenBallot, newOwner, type VotingBed } from '../voting/factories.ts';

let bed: VotingBed;
freshCompoundForEachTest({ units: 4 }, (fresh) => (bed = fresh));

/** The error `work` ends with, in `locale`. */
async function refusal(locale: 'en' | 'zh-CN', work: () => unknown): Promise<Error> {
	return withLocale(locale, async () => {
		try {
			await work();
		} catch (error) {
			return error as Error;
		}
		throw new Error('not refused');
	});
}

/** What a person sees of a refusal: its sentence and the notes beside the fields. */
function seen(error: Error): string[] {
	return [error.message, ...Object.values(error instanceof InvalidInput ? error.fields : {})];
}

/** Refused in English with no untranslated Chinese, and in Chinese with the Chinese words (`chinese`). */
async function inBothLanguages(work: () => unknown, chinese: string | RegExp): Promise<Error> {
	const english = await refusal('en', work);
	expect(english).toBeInstanceOf(Error);
	expect(seen(english).flatMap(chineseOutsideGlosses), seen(english).join(' | ')).toEqual([]);
	const zh = await refusal('zh-CN', work);
	expect(zh.constructor).toBe(english.constructor);
	expect(zh.message).toMatch(chinese);
	return english;
}

describe('voting services refuse in the reader’s language', () => {
	it('ballot creation and its lifecycle', async () => {
		const { database, time, compound, committee } = bed;
		const base = { title: '侧门改造', ruleKind: 'major' as const, motions: [{ id: 'A', title: '方案A' }], opensAt: 0, closesAt: 0 };
		const one = [{ compoundId: compound.compoundId }];
		await inBothLanguages(
			() => createBallot(database, committee.actor, { ...base, compounds: one, title: ' ' }),
			'请填写表决标题（200字以内）'
		);
		const twice = [...one, ...one];
		await inBothLanguages(() => createBallot(database, committee.actor, { ...base, compounds: twice }), '参与小区重复了');
		const { ballotId, closesAt } = await newNoticedBallot(database, time, committee.actor, [compound]);
		await inBothLanguages(() => publishNotice(database, committee.actor, { ballotId }), '公告已经发布过了');
		await inBothLanguages(() => getResult(database, { ballotId }), '计票尚未结束，结果将在结束计票后公布');
		time.set(closesAt - 3600_000 * 24 * 3);
		await openBallot(database, committee.actor, { ballotId });
		await inBothLanguages(() => openBallot(database, committee.actor, { ballotId }), /投票已经开始了|已经开始/);
		const owner = await newOwner(database, compound, { unitIds: [compound.units[2].unitId] });
		await inBothLanguages(() => closeBallot(database, owner.actor, { ballotId }), '只有参与小区的业委会可以结束计票');
		await inBothLanguages(
			() => castElectronicBallot(database, owner.actor, { ballotId, choices: { A: 'yes', Z: 'no' } }),
			/这一事项|请对每一项/
		);
	});

	it('proxies (委托书), owner changes, settlements and paper entries', async () => {
		const { database, time, compound, committee } = bed;
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const proxy = await newOwner(database, compound, { unitIds: [compound.units[2].unitId], name: '受托人' });
		const input = {
			ballotId,
			unitIds: [compound.units[0].unitId],
			principalName: '王阿姨',
			proxyUserId: proxy.userId,
			instructions: ALL_YES
		};
		await inBothLanguages(() => recordProxy(database, committee.actor, { ...input, unitIds: [] }), '请选择委托人的房屋');
		await inBothLanguages(() => recordProxy(database, committee.actor, { ...input, principalName: ' ' }), '请填写委托人姓名');
		await recordProxy(database, committee.actor, input);
		// Refused inside the write, which runs on the write queue's loop: still the reader's language.
		await inBothLanguages(() => recordProxy(database, committee.actor, input), '这户已有一份有效的委托书，请先撤销原委托书');

		const change = { ballotId, unitId: compound.units[3].unitId, newUserId: proxy.userId, reason: '' };
		await inBothLanguages(() => proposeOwnerChange(database, committee.actor, change), '请写明变更原因（例如：房屋已过户）');
		const settle = { ballotId, caseKey: 'x', choice: 'yes', basis: 'owner_stated', note: '' };
		await inBothLanguages(() => proposeSettlement(database, committee.actor, settle), '投票截止后、结束计票前才能处理不一致的投票');
		await inBothLanguages(
			() => proposeSettlement(database, committee.actor, { ...settle, basis: '' }),
			'请选择：业主本人说明了意见，还是联系不上业主'
		);
		const refused = await inBothLanguages(() => withdrawPaperEntry(database, committee.actor, { entryId: 'none' }), '没有找到这条录入');
		expect(refused).toBeInstanceOf(DomainError);
	});
});

describe('dates and periods in the reader’s language', () => {
	it('a day that is not on the calendar, with the field named in that language', async () => {
		// The field's name is a message too, so the whole sentence is in one language.
		await inBothLanguages(
			() => requireChinaDay('2026-02-31', 'due', m.records_manage_task_due()),
			/^完成期限不对：请按 2026-03-01 的样子填写/
		);
		const english = await refusal('en', () => requireChinaDay('2026-02-31', 'due', m.records_manage_task_due()));
		expect(english.message).toMatch(/^Due date is not right: please enter a day that is on the calendar, written like 2026-03-01/);
		expect((english as InvalidInput).fields).toEqual({ due: 'No such day' });
		await inBothLanguages(() => requireChinaDateTime('2026-03-01 24:00', 'startsAt', m.agenda_meeting_time_field()), /^会议时间不对/);
		const meeting = await refusal('en', () => requireChinaDateTime('2026-03-01 24:00', 'startsAt', m.agenda_meeting_time_field()));
		expect(meeting.message).toMatch(/^The meeting time is not right: please enter a day that is on the calendar and a time/);
	});

	it('a closing day inside a holiday names the holiday and the day it moves to, while the stored note stays Chinese', async () => {
		const cal = buildCalendar(BUILT_IN_YEARS);
		const d = (iso: string) => parseChinaDate(iso)!;
		const check = (closesOn: string) =>
			votingPeriods(cal, {
				noticeFrom: chinaMidnight(d('2025-08-20')),
				noticeDays: 15,
				opensAt: chinaMidnight(d('2025-09-15')),
				closesAt: chinaMidnight(d(closesOn)),
				minWindowDays: 5,
				maxWindowDays: 60
			});
		const inside = withLocale('en', () => check('2025-10-04'));
		expect(inside.ok).toBe(false);
		const message = !inside.ok ? inside.message : '';
		expect(message).toContain('Fri 3 Oct 2025 is a statutory rest day (National Day and Mid-Autumn Festival)');
		expect(message).toContain('runs on to Thu 9 Oct 2025, 24:00. Please change the closing date to 2025-10-09');
		expect(chineseOutsideGlosses(message)).toEqual([]);
		expect(!inside.ok && Object.values(inside.fields).flatMap(chineseOutsideGlosses)).toEqual([]);
		const chinese = check('2025-10-04');
		expect(!chinese.ok && chinese.message).toMatch(
			/^2025年10月3日（星期五）是法定休息日（国庆节、中秋节），按民法典第二百零三条顺延至2025年10月9日（星期四）24:00。/
		);

		const early = withLocale('en', () => check('2025-09-16'));
		expect(!early.ok && early.message).toBe('Voting must last 5 to 60 days');
		const ok = withLocale('en', () => check('2025-09-30'));
		expect(ok.ok && ok.periods.calendarNote).toMatch(/^节假日日历版本 /);
	});
});

describe('spreadsheet refusals from the worker thread', () => {
	it('come out in the language of the request that sent the file', async () => {
		const many = manyEntries(2001);
		const english = await refusal('en', () => readXlsxOffThread(many));
		expect(english).toBeInstanceOf(RosterFileError);
		expect(english.message).toBe(
			'This Excel file has more than 2000 parts, which is not what a unit roster looks like; ' +
				'please keep only the roster sheet and export it again'
		);
		const chinese = await refusal('zh-CN', () => readXlsxOffThread(many));
		expect(chinese.message).toBe('这个 Excel 文件包含的部件超过 2000 个，不像房屋清册；请只保留房屋清册一张工作表后重新导出');

		const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(64).fill(7)]);
		await inBothLanguages(
			() => readXlsxOffThread(broken),
			'这个 Excel 文件已损坏或无法打开，请在 Excel 中重新另存为 .xlsx 或 CSV 后再上传'
		);
	});
});

describe('the language inside a queued write', () => {
	it('is the language of the request that queued it, while another language’s write holds the queue', async () => {
		// Queued tasks run on the write queue's own loop, started by whichever request came first.
		const row = (subjectId: string) => ({ at: 1, action: 'test', subjectType: 't', subjectId, detail: '{}' });
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		let started!: () => void;
		const running = new Promise<void>((resolve) => (started = resolve));
		// A Chinese reader's write starts the queue and holds it until the English write is queued behind it.
		const chinese = withLocale('zh-CN', () =>
			bed.database.write(async (tx) => {
				started();
				await held;
				await tx.insert(auditLog).values(row('zh'));
				return getLocale();
			})
		);
		await running;
		const english = withLocale('en', () =>
			bed.database.write(async (tx) => {
				await tx.insert(auditLog).values(row('en'));
				return { locale: getLocale(), words: m.voting_count_already_closed() };
			})
		);
		release();
		expect(await chinese).toBe('zh-CN');
		expect(await english).toEqual({ locale: 'en', words: 'The count has already ended' });
	});
});
