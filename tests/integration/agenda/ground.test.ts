import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import * as deliberation from '../../../src/lib/server/deliberation/index.ts';
import * as notifications from '../../../src/lib/server/notifications/index.ts';
import { gateWorld } from './world.ts';
import { deliberationForEachTest } from './helpers.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
let s: { sessionId: string; itemId: string };
deliberationForEachTest((bed) => ({ database, w, s } = bed));

describe('common ground', () => {
	it('shows a statement a majority in every compound supports as shared, and one that splits them as divisive', async () => {
		const { statementId: shared } = await deliberation.addStatement(
			database,
			await w.aijianResidents[0].actor(),
			s.sessionId,
			'边门改造要保证老人和孩子的安全'
		);
		const { statementId: split } = await deliberation.addStatement(
			database,
			await w.hongqiaoResidents[0].actor(),
			s.sessionId,
			'边门应当全天开放'
		);
		for (const r of [...w.aijianResidents.slice(0, 3), ...w.hongqiaoResidents.slice(0, 3)])
			await deliberation.voteOnStatement(database, await r.actor(), shared, 'agree');
		for (const r of w.aijianResidents.slice(0, 3)) await deliberation.voteOnStatement(database, await r.actor(), split, 'agree');
		for (const r of w.hongqiaoResidents.slice(0, 3)) await deliberation.voteOnStatement(database, await r.actor(), split, 'disagree');
		const view = await deliberation.commonGround(database, await w.tenant.actor(), s.sessionId);
		expect(view.shared.map((x) => x.text)).toEqual(['边门改造要保证老人和孩子的安全']);
		expect(view.divisive.map((x) => x.text)).toEqual(['边门应当全天开放']);
		expect(view.shared[0].perCompound.map((c) => [c.name, c.agree])).toEqual([
			['爱建小区', 3],
			['虹桥小区', 3]
		]);
	});

	it('a pooled majority is not common ground when one compound lacks a majority', async () => {
		const { statementId } = await deliberation.addStatement(
			database,
			await w.aijianResidents[0].actor(),
			s.sessionId,
			'边门晚上十点关闭'
		);
		for (const r of w.aijianResidents) await deliberation.voteOnStatement(database, await r.actor(), statementId, 'agree');
		for (const [i, r] of w.hongqiaoResidents.slice(0, 4).entries())
			await deliberation.voteOnStatement(database, await r.actor(), statementId, i < 2 ? 'agree' : 'pass');
		const view = await deliberation.commonGround(database, await w.tenant.actor(), s.sessionId);
		expect(view.shared).toHaveLength(0);
		expect(view.others[0].ground).toBe('mixed');
	});

	it('a change of mind replaces the earlier answer', async () => {
		const { statementId } = await deliberation.addStatement(database, await w.aijianResidents[0].actor(), s.sessionId, '要有门禁');
		const me = await w.aijianResidents[1].actor();
		await deliberation.voteOnStatement(database, me, statementId, 'agree');
		await deliberation.voteOnStatement(database, me, statementId, 'disagree');
		const view = await deliberation.commonGround(database, me, s.sessionId);
		expect(view.others[0].perCompound[0]).toMatchObject({ agree: 0, disagree: 1 });
	});

	it("refuses answers from staff without a household (the figures stay residents')", async () => {
		const { statementId } = await deliberation.addStatement(database, await w.aijianResidents[0].actor(), s.sessionId, '要有门禁');
		await expect(deliberation.voteOnStatement(database, await w.coordinator.actor(), statementId, 'agree')).rejects.toThrow(
			'只有参与小区的居民可以表态'
		);
	});

	it('refuses a statement longer than 140 characters', async () => {
		await expect(
			deliberation.addStatement(database, await w.aijianResidents[0].actor(), s.sessionId, '长'.repeat(141))
		).rejects.toThrow('不超过 140 字');
	});
});

describe('advisory polls', () => {
	it('tenants answer; counted per compound and pooled, labelled advisory', async () => {
		const { pollId } = await deliberation.createAdvisoryPoll(database, await w.coordinator.actor(), s.sessionId, {
			question: '您多久走一次边门？',
			options: ['每天', '每周', '很少']
		});
		await deliberation.answerAdvisoryPoll(database, await w.tenant.actor(), pollId, 0);
		await deliberation.answerAdvisoryPoll(database, await w.aijianResidents[0].actor(), pollId, 0);
		await deliberation.answerAdvisoryPoll(database, await w.hongqiaoResidents[0].actor(), pollId, 2);
		const r = await deliberation.advisoryResult(database, await w.tenant.actor(), pollId);
		expect(r.tally.advisory).toBe(true);
		expect(r.tally.perCompound.map((c) => c.counts)).toEqual([
			[2, 0, 0],
			[0, 0, 1]
		]);
		expect(r.tally.pooled.counts).toEqual([2, 0, 1]);
		expect(r.rows.at(-1)!.name).toContain('仅供参考');
	});

	it('refuses a second answer', async () => {
		const { pollId } = await deliberation.createAdvisoryPoll(database, await w.coordinator.actor(), s.sessionId, {
			question: '问？',
			options: ['是', '否']
		});
		await deliberation.answerAdvisoryPoll(database, await w.tenant.actor(), pollId, 0);
		await expect(deliberation.answerAdvisoryPoll(database, await w.tenant.actor(), pollId, 1)).rejects.toThrow(
			'您已经回答过这个征询了'
		);
	});

	it('refuses a poll created by a resident', async () => {
		await expect(
			deliberation.createAdvisoryPoll(database, await w.tenant.actor(), s.sessionId, { question: '问？', options: ['是', '否'] })
		).rejects.toThrow('您没有管理这项议程的权限');
	});

	it('reminds only residents who have not answered', async () => {
		const { pollId } = await deliberation.createAdvisoryPoll(database, await w.coordinator.actor(), s.sessionId, {
			question: '问？',
			options: ['是', '否']
		});
		await deliberation.answerAdvisoryPoll(database, await w.tenant.actor(), pollId, 0);
		const sent = await deliberation.remindPoll(database, await w.coordinator.actor(), pollId);
		expect(sent).toBe(10); // 5 + 5 owners; the tenant already answered
		expect((await notifications.inbox(database, await w.tenant.actor())).entries.map((e) => e.kind)).not.toContain('reminder');
		expect(await deliberation.remindPoll(database, await w.coordinator.actor(), pollId)).toBe(0);
	});

	it('a closed poll takes no more answers and no reminders, keeps its result, and closes once', async () => {
		const { pollId } = await deliberation.createAdvisoryPoll(database, await w.coordinator.actor(), s.sessionId, {
			question: '问？',
			options: ['是', '否']
		});
		await deliberation.answerAdvisoryPoll(database, await w.tenant.actor(), pollId, 0);
		await expect(deliberation.closeAdvisoryPoll(database, await w.tenant.actor(), pollId)).rejects.toThrow('您没有管理这项议程的权限');
		await deliberation.closeAdvisoryPoll(database, await w.coordinator.actor(), pollId);
		await expect(deliberation.answerAdvisoryPoll(database, await w.aijianResidents[0].actor(), pollId, 1)).rejects.toThrow(
			'这个征询已经结束'
		);
		await expect(deliberation.remindPoll(database, await w.coordinator.actor(), pollId)).rejects.toThrow('不再提醒');
		await expect(deliberation.closeAdvisoryPoll(database, await w.coordinator.actor(), pollId)).rejects.toThrow('已经结束了');
		const r = await deliberation.advisoryResult(database, await w.tenant.actor(), pollId);
		expect(r.closed).toBe(true);
		expect(r.tally.pooled.counts).toEqual([1, 0]);
	});
});
