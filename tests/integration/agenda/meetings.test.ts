import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import * as deliberation from '../../../src/lib/server/deliberation/index.ts';
import * as notifications from '../../../src/lib/server/notifications/index.ts';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import { gateWorld } from './world.ts';
import { meetingForEachTest } from './helpers.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
let s: { sessionId: string; itemId: string };
let meetingId: string;
meetingForEachTest((bed) => ({ database, w, s, meetingId } = bed));

describe('meeting mode', () => {
	it('calls those who have not spoken first, alternating pro and con, with a clock', async () => {
		const chair = await w.facilitator.actor();
		await deliberation.setCurrentItem(database, chair, meetingId, s.itemId);
		await deliberation.requestToSpeak(database, chair, meetingId, { name: '张阿姨', compoundId: 'aijian', stance: 'pro' });
		await deliberation.requestToSpeak(database, chair, meetingId, { name: '刘先生', compoundId: 'aijian', stance: 'pro' });
		await deliberation.requestToSpeak(database, chair, meetingId, { name: '王老师', compoundId: 'hongqiao', stance: 'con' });
		expect((await deliberation.callNextSpeaker(database, chair, meetingId))!.name).toBe('张阿姨');
		await deliberation.requestToSpeak(database, chair, meetingId, { name: '张阿姨', compoundId: 'aijian', stance: 'pro' });
		const state = await deliberation.meetingState(database, chair, meetingId);
		expect(state.speaker).toMatchObject({ name: '张阿姨', compound: '爱建小区', seconds: 120 });
		// 王老师 (con, not yet spoken) before 刘先生 (pro), and 张阿姨 (spoke once) last.
		expect(state.queue.map((q) => q.name)).toEqual(['王老师', '刘先生', '张阿姨']);
	});

	it('records attendance and the latest show of hands', async () => {
		const chair = await w.facilitator.actor();
		await deliberation.recordAttendance(database, chair, meetingId, { name: '张阿姨', compoundId: 'aijian' });
		await deliberation.checkIn(database, await w.hongqiaoResidents[0].actor(), meetingId, '李四');
		await expect(deliberation.checkIn(database, await w.hongqiaoResidents[0].actor(), meetingId, '李四')).rejects.toThrow(
			'您已经签到了'
		);
		await deliberation.setCurrentItem(database, chair, meetingId, s.itemId);
		await deliberation.recordShowOfHands(database, chair, meetingId, { itemId: s.itemId, yes: 20, no: 5, abstain: 3 });
		await deliberation.recordShowOfHands(database, chair, meetingId, { itemId: s.itemId, yes: 21, no: 5, abstain: 2 });
		const state = await deliberation.meetingState(database, await w.tenant.actor(), meetingId);
		expect(state.hands).toMatchObject({ yes: 21, no: 5, abstain: 2 });
		expect(state.attendanceByCompound).toEqual([
			{ compound: '爱建小区', count: 1 },
			{ compound: '虹桥小区', count: 1 }
		]);
	});

	it("refuses the chair's tools to a resident", async () => {
		await expect(deliberation.setCurrentItem(database, await w.aijianResidents[0].actor(), meetingId, s.itemId)).rejects.toBeInstanceOf(
			AccessDenied
		);
	});
});

describe('minutes', () => {
	it('are saved as versions and approved once; approved minutes are final', async () => {
		const writer = await w.aijianResidents[0].actor();
		expect(await deliberation.saveMinutes(database, writer, meetingId, { text: '到会 28 人。', baseNumber: 0 })).toEqual({ number: 1 });
		expect(
			await deliberation.saveMinutes(database, await w.facilitator.actor(), meetingId, {
				text: '到会 28 人。两个小区各自陈述。',
				baseNumber: 1
			})
		).toEqual({ number: 2 });
		await deliberation.approveMinutes(database, await w.coordinator.actor(), meetingId, 2);
		const view = await deliberation.minutesOf(database, writer, meetingId);
		expect(view.approved).toMatchObject({ number: 2 });
		expect(view.versions).toHaveLength(2);
		await expect(deliberation.saveMinutes(database, writer, meetingId, { text: '改一下', baseNumber: 2 })).rejects.toThrow(
			'纪要已经审定'
		);
	});

	it('refuses a save based on an old version, so nobody overwrites unseen', async () => {
		await deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, { text: 'A', baseNumber: 0 });
		await expect(
			deliberation.saveMinutes(database, await w.hongqiaoResidents[0].actor(), meetingId, { text: 'B', baseNumber: 0 })
		).rejects.toThrow('别人保存了第 1 版');
	});

	it('refuses approval of a version that is not the latest, and approval by a resident', async () => {
		await deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, { text: 'A', baseNumber: 0 });
		await deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, { text: 'AB', baseNumber: 1 });
		await expect(deliberation.approveMinutes(database, await w.coordinator.actor(), meetingId, 1)).rejects.toThrow(
			'只能审定最新的第 2 版'
		);
		await expect(deliberation.approveMinutes(database, await w.aijianResidents[0].actor(), meetingId, 2)).rejects.toBeInstanceOf(
			AccessDenied
		);
	});
});

describe('inbox and digest', () => {
	it('participants are told of the meeting; the digest groups it; marking read clears the count', async () => {
		const me = await w.tenant.actor();
		const box = await notifications.inbox(database, me);
		expect(box.entries.map((e) => e.title)).toContain('会议通知：第一次协调会');
		expect(box.unread).toBeGreaterThan(0);
		const d = await notifications.digest(database, me);
		expect(d.groups.map((g) => g.label)).toContain('会议');
		await notifications.markRead(database, me);
		expect((await notifications.inbox(database, me)).unread).toBe(0);
	});
});
