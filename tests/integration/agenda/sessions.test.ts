import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import * as agenda from '../../../src/lib/server/agenda/index.ts';
import * as notifications from '../../../src/lib/server/notifications/index.ts';
import { AccessDenied, NotFound, RuleBroken } from '../../../src/lib/server/errors.ts';
import { decide } from '../../../src/lib/domain/access/policy.ts';
import { compoundsByName, requireSessionAccess, sessionAudience } from '../../../src/lib/server/agenda/common.ts';
import { newUser } from '../communities/factories.ts';
import { gateWorld } from './world.ts';
import { publishedGateSession } from './helpers.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
beforeEach(async () => {
	database = await createTestDatabase();
	w = await gateWorld(database);
});
afterEach(() => database.destroy());

describe('a co-convened agenda', () => {
	it('refuses publication until every convenor has signed, naming who is missing', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		await expect(agenda.publishAgenda(database, await w.coordinator.actor(), sessionId)).rejects.toThrow(
			'还有召集方没有签字：虹桥小区业委会'
		);
		await agenda.signOffAgenda(database, await w.hongqiaoYwh.actor(), sessionId, 'hongqiao');
		expect((await agenda.publishAgenda(database, await w.coordinator.actor(), sessionId)).publishedAt).toBeGreaterThan(0);
	});

	it('a change to the agenda after a sign-off voids it: each convenor signs what is published', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		await agenda.signOffAgenda(database, await w.hongqiaoYwh.actor(), sessionId, 'hongqiao');
		await agenda.addAgendaItem(database, await w.coordinator.actor(), sessionId, {
			title: '共享空间命名',
			question: '共享空间叫什么？',
			rule: 'advisory'
		});
		await expect(agenda.publishAgenda(database, await w.coordinator.actor(), sessionId)).rejects.toThrow(
			'爱建小区业委会、虹桥小区业委会'
		);
	});

	it('only the convenor itself may sign for it', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		await expect(agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'hongqiao')).rejects.toThrow(
			'只有虹桥小区业委会可以签字'
		);
		await expect(agenda.signOffAgenda(database, await w.coordinator.actor(), sessionId, 'aijian')).rejects.toBeInstanceOf(AccessDenied);
	});

	it('refuses signing twice', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		await expect(agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian')).rejects.toThrow('已经签过字了');
	});

	it("refuses a joint session to one compound's 业委会 alone", async () => {
		await expect(
			agenda.createSession(database, await w.aijianYwh.actor(), {
				title: 'x',
				kind: 'coordination',
				compoundIds: ['aijian', 'hongqiao']
			})
		).rejects.toBeInstanceOf(AccessDenied);
	});

	it('the published agenda is frozen', async () => {
		const { sessionId } = await publishedGateSession(database, w);
		await expect(
			agenda.addAgendaItem(database, await w.coordinator.actor(), sessionId, { title: 'x', question: 'y', rule: 'ordinary' })
		).rejects.toThrow('议程已经公布，不能再修改');
	});

	it('an item is changed and reordered before publication; each change voids the sign-offs', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		const manager = await w.coordinator.actor();
		const { itemId: second } = await agenda.addAgendaItem(database, manager, sessionId, {
			title: '共享空间命名',
			question: '共享空间叫什么？',
			rule: 'advisory'
		});
		const [first] = (await agenda.sessionView(database, manager, sessionId)).items;
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		await agenda.editAgendaItem(database, manager, first.id, {
			title: '边门改为共享空间',
			question: '是否拆除边门，改为两小区共享的空间（早6点至晚10点开放）？',
			rule: 'major',
			background: '',
			impacts: [{ compoundId: 'hongqiao', costs: '夜间需要巡逻', benefits: '' }]
		});
		await agenda.moveAgendaItem(database, manager, second, 'up');
		const view = await agenda.sessionView(database, manager, sessionId);
		expect(view.items.map((i) => [i.position, i.title])).toEqual([
			[1, '共享空间命名'],
			[2, '边门改为共享空间']
		]);
		expect(view.items[1].question).toContain('早6点至晚10点');
		expect(view.items[1].impacts.map((i) => [i.compoundId, i.costs])).toEqual([['hongqiao', '夜间需要巡逻']]);
		// The 爱建 sign-off was for the earlier revision.
		await agenda.signOffAgenda(database, await w.hongqiaoYwh.actor(), sessionId, 'hongqiao');
		await expect(agenda.publishAgenda(database, manager, sessionId)).rejects.toThrow('爱建小区业委会');
	});

	it("refuses bad edits and moves, others' edits, and any change once published", async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		const manager = await w.coordinator.actor();
		const [item] = (await agenda.sessionView(database, manager, sessionId)).items;
		const good = { title: item.title, question: item.question, rule: 'major' };
		await expect(agenda.editAgendaItem(database, manager, item.id, { ...good, question: '' })).rejects.toThrow('请写清楚要决定的问题');
		await expect(agenda.editAgendaItem(database, manager, item.id, { ...good, rule: 'whatever' })).rejects.toThrow('请选择表决规则');
		await expect(
			agenda.editAgendaItem(database, manager, item.id, { ...good, impacts: [{ compoundId: 'xianxia', costs: 'x', benefits: '' }] })
		).rejects.toThrow('只能针对参与小区');
		await expect(agenda.moveAgendaItem(database, manager, item.id, 'up')).rejects.toThrow('已经是第一个议题');
		await expect(agenda.moveAgendaItem(database, manager, item.id, 'down')).rejects.toThrow('已经是最后一个议题');
		await expect(agenda.moveAgendaItem(database, manager, item.id, 'sideways')).rejects.toThrow('请选择上移或下移');
		await expect(agenda.editAgendaItem(database, await w.tenant.actor(), item.id, good)).rejects.toBeInstanceOf(AccessDenied);
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		await agenda.signOffAgenda(database, await w.hongqiaoYwh.actor(), sessionId, 'hongqiao');
		await agenda.publishAgenda(database, manager, sessionId);
		await expect(agenda.editAgendaItem(database, manager, item.id, good)).rejects.toThrow('议程已经公布，不能再修改');
		await expect(agenda.moveAgendaItem(database, manager, item.id, 'down')).rejects.toThrow('议程已经公布，不能再修改');
	});

	it('the session is created from an accepted concern with it as the first item draft', async () => {
		await expect(
			agenda.createSession(database, await w.coordinator.actor(), {
				title: 'x',
				kind: 'coordination',
				compoundIds: ['aijian'],
				concernId: 'nope'
			})
		).rejects.toThrow('没有这个议题');
	});

	it('phases move forward one step, and not out of 议题确定 before publication', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		const m = await w.coordinator.actor();
		await expect(agenda.advancePhase(database, m, sessionId, 'deliberation')).rejects.toThrow('议程公布后才能进入协商阶段');
		await expect(agenda.advancePhase(database, m, sessionId, 'voting')).rejects.toBeInstanceOf(RuleBroken);
	});

	it('departments are invited and their written response attached once', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		const m = await w.coordinator.actor();
		const { departmentId } = await agenda.inviteDepartment(database, m, sessionId, '长宁交警支队');
		await agenda.recordDepartmentResponse(database, m, departmentId, '边门开放后须设置非机动车限行。');
		await expect(agenda.recordDepartmentResponse(database, m, departmentId, '改一下')).rejects.toThrow('已经登记过了');
		const view = await agenda.sessionView(database, await w.aijianResidents[0].actor(), sessionId);
		expect(view.departments[0]).toMatchObject({ name: '长宁交警支队', response: '边门开放后须设置非机动车限行。' });
	});

	it('the timetable refuses overlapping phases', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		await expect(
			agenda.setTimetable(database, await w.coordinator.actor(), sessionId, [
				{ phase: 'agenda', startsOn: '2026-03-01', endsOn: '2026-03-20' },
				{ phase: 'deliberation', startsOn: '2026-03-10', endsOn: '2026-04-10' }
			])
		).rejects.toThrow('须在“议题确定”结束后开始');
	});

	it('the timetable refuses a day that is not on the calendar, as every form does', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		for (const [startsOn, endsOn] of [
			['2026-02-31', '2026-03-20'],
			['2026-03-01', '2026-13-01']
		]) {
			const typed = [{ phase: 'agenda' as const, startsOn, endsOn }];
			await expect(agenda.setTimetable(database, await w.coordinator.actor(), sessionId, typed)).rejects.toThrow(
				/“议题确定”的(开始|结束)日期不对：请按 2026-03-01 的样子填写日历上有的一天/
			);
		}
	});
});

describe('only items of a published agenda can be voted on', () => {
	it('assertVotableAgendaItem refuses an item of an unpublished agenda, an unknown item and none', async () => {
		const { itemId } = await publishedGateSession(database, w, { publish: false });
		for (const id of [itemId, 'no-such-item', null])
			await expect(agenda.assertVotableAgendaItem(database, id)).rejects.toThrow('只能对已公布议程中的议题表决');
	});

	it('accepts an item of a published agenda and tells its rule and compounds', async () => {
		const { itemId, sessionId } = await publishedGateSession(database, w);
		expect(await agenda.assertVotableAgendaItem(database, itemId)).toEqual({
			sessionId,
			rule: 'major',
			compoundIds: ['aijian', 'hongqiao'],
			phase: 'agenda'
		});
	});

	it('requestVoteOnItem checks access first, then the rule', async () => {
		const { itemId } = await publishedGateSession(database, w, { publish: false });
		await expect(agenda.requestVoteOnItem(database, await w.aijianResidents[0].actor(), itemId)).rejects.toBeInstanceOf(AccessDenied);
		await expect(agenda.requestVoteOnItem(database, await w.coordinator.actor(), itemId)).rejects.toThrow(
			'只能对已公布议程中的议题表决'
		);
	});
});

describe('reminders', () => {
	it('remind only convenors that have not signed, and only once', async () => {
		const { sessionId } = await publishedGateSession(database, w, { publish: false });
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		expect(await agenda.remindSignOffs(database, await w.coordinator.actor(), sessionId)).toBe(1);
		expect(await agenda.remindSignOffs(database, await w.coordinator.actor(), sessionId)).toBe(0);
		expect((await notifications.inbox(database, await w.hongqiaoYwh.actor())).entries.map((e) => e.title)).toContain(
			'请为议程签字：爱建、虹桥边门协商'
		);
		expect((await notifications.inbox(database, await w.aijianYwh.actor())).entries.map((e) => e.kind)).not.toContain('reminder');
	});
});

describe('the shared session helpers', () => {
	let s: { sessionId: string };
	beforeEach(async () => {
		s = await publishedGateSession(database, w, { phase: 'deliberation' });
	});

	it('lets in whoever may do one of the actions, and returns the session with its target', async () => {
		// An administrator manages every session but takes part in none.
		const admin = await (await newUser(database, { grants: [{ role: 'admin', scopeId: null }] })).actor();
		await expect(requireSessionAccess(database, admin, s.sessionId, 'deliberation.participate')).rejects.toBeInstanceOf(AccessDenied);
		const { session, target } = await requireSessionAccess(database, admin, s.sessionId, 'deliberation.participate', 'agenda.manage');
		expect(session.id).toBe(s.sessionId);
		expect(target.sessionId).toBe(s.sessionId);
		expect(target.compounds.map((c) => c.id).sort()).toEqual(['aijian', 'hongqiao']);
	});

	it("refuses with the first action's words, and an unknown session as not found", async () => {
		const stranger = await w.stranger.actor();
		const { target } = await requireSessionAccess(database, await w.tenant.actor(), s.sessionId, 'deliberation.participate');
		const decision = decide(stranger, 'deliberation.participate', target);
		if (decision.allowed) throw new Error('a stranger may not take part');
		await expect(requireSessionAccess(database, stranger, s.sessionId, 'deliberation.participate', 'agenda.manage')).rejects.toThrow(
			decision.reason
		);
		await expect(requireSessionAccess(database, stranger, 'no-such-session', 'agenda.manage')).rejects.toBeInstanceOf(NotFound);
	});

	it("tells every resident of the session's compounds once, and only residents", async () => {
		const { session } = await requireSessionAccess(database, await w.facilitator.actor(), s.sessionId, 'agenda.manage');
		const audience = await sessionAudience(database.db, session);
		const residents = [...w.aijianResidents, ...w.hongqiaoResidents, w.tenant].map((u) => u.id);
		expect([...audience].sort()).toEqual([...residents].sort());
		expect(audience).not.toContain(w.aijianYwh.id);
	});

	it('lists every compound by name', async () => {
		expect(await compoundsByName(database.db)).toEqual([
			{ id: 'aijian', name: '爱建小区' },
			{ id: 'hongqiao', name: '虹桥小区' }
		]);
	});
});
