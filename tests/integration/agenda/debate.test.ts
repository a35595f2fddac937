import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import * as agenda from '../../../src/lib/server/agenda/index.ts';
import * as deliberation from '../../../src/lib/server/deliberation/index.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import { gateWorld } from './world.ts';
import { deliberationForEachTest, publishedGateSession } from './helpers.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
let s: { sessionId: string; itemId: string };
deliberationForEachTest((bed) => ({ database, w, s } = bed));

describe('debate', () => {
	it("arguments from both compounds show the author's compound in the pro/con view", async () => {
		await deliberation.postArgument(database, await w.aijianResidents[0].actor(), s.itemId, {
			stance: 'pro',
			body: '去地铁站近十分钟。'
		});
		await deliberation.postArgument(database, await w.hongqiaoResidents[0].actor(), s.itemId, {
			stance: 'con',
			body: '担心电瓶车穿行。'
		});
		const view = await deliberation.itemDebate(database, await w.tenant.actor(), s.itemId);
		expect(view.columns.find((c) => c.stance === 'pro')!.posts.map((p) => p.from)).toEqual(['爱建小区']);
		expect(view.columns.find((c) => c.stance === 'con')!.byCompound).toEqual([{ compound: '虹桥小区', count: 1 }]);
	});

	it('refuses a post over the per-person turn limit, replies included', async () => {
		const me = await w.aijianResidents[0].actor();
		const { postId } = await deliberation.postArgument(database, me, s.itemId, { stance: 'pro', body: '第一次' });
		await deliberation.replyToArgument(database, me, postId, '第二次');
		await expect(deliberation.postArgument(database, me, s.itemId, { stance: 'pro', body: '第三次' })).rejects.toThrow(
			'每人在每个议题上最多发言 2 次，您的发言次数已用完'
		);
	});

	it('refuses a post over the length limit the facilitator set', async () => {
		await agenda.setItemLimits(database, await w.facilitator.actor(), s.itemId, { maxTurns: 3, maxChars: 50, speakSeconds: 60 });
		await expect(
			deliberation.postArgument(database, await w.aijianResidents[0].actor(), s.itemId, { stance: 'info', body: '长'.repeat(51) })
		).rejects.toThrow('每次发言不超过 50 字');
	});

	it('refuses limits set by someone who is not the facilitator', async () => {
		await expect(
			agenda.setItemLimits(database, await w.aijianYwh.actor(), s.itemId, { maxTurns: 9, maxChars: 500, speakSeconds: 60 })
		).rejects.toBeInstanceOf(AccessDenied);
	});

	it('refuses an argument without a stance', async () => {
		await expect(
			deliberation.postArgument(database, await w.aijianResidents[0].actor(), s.itemId, { stance: '', body: '嗯' })
		).rejects.toBeInstanceOf(InvalidInput);
	});

	it('refuses a post from someone outside the participating compounds', async () => {
		await expect(
			deliberation.postArgument(database, await w.stranger.actor(), s.itemId, { stance: 'pro', body: '路过' })
		).rejects.toThrow('只有参与小区的居民可以参加讨论');
	});

	it('refuses debate before the agenda is published', async () => {
		const draft = await publishedGateSession(database, w, { publish: false });
		await expect(
			deliberation.postArgument(database, await w.aijianResidents[0].actor(), draft.itemId, { stance: 'pro', body: '先说' })
		).rejects.toThrow('议程公布后才能开始讨论');
	});

	it('a hidden post shows its public reason to everyone and is listed in the moderation log; its text is kept', async () => {
		const { postId } = await deliberation.postArgument(database, await w.hongqiaoResidents[1].actor(), s.itemId, {
			stance: 'con',
			body: '爱建的人素质差'
		});
		await deliberation.hidePost(database, await w.facilitator.actor(), postId, '含有针对个人的攻击');
		const resident = await deliberation.itemDebate(database, await w.aijianResidents[0].actor(), s.itemId);
		expect(resident.arguments[0]).toMatchObject({ body: null, hidden: { reason: '含有针对个人的攻击' } });
		const chair = await deliberation.itemDebate(database, await w.facilitator.actor(), s.itemId);
		expect(chair.arguments[0].body).toBe('爱建的人素质差');
		const log = await deliberation.moderationLog(database, await w.aijianResidents[0].actor(), s.sessionId);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ action: 'hide', reason: '含有针对个人的攻击', post: { id: postId, itemTitle: '边门是否重新开放' } });
	});

	it('refuses hiding without a reason, and hiding by a resident', async () => {
		const { postId } = await deliberation.postArgument(database, await w.hongqiaoResidents[1].actor(), s.itemId, {
			stance: 'con',
			body: '不同意'
		});
		await expect(deliberation.hidePost(database, await w.facilitator.actor(), postId, '')).rejects.toThrow('须写明公开理由');
		await expect(deliberation.hidePost(database, await w.aijianResidents[0].actor(), postId, '我不喜欢')).rejects.toThrow(
			'只有主持人可以管理发言'
		);
	});

	it('a hidden post still counts as a turn', async () => {
		const me = await w.hongqiaoResidents[1].actor();
		const { postId } = await deliberation.postArgument(database, me, s.itemId, { stance: 'con', body: '一' });
		await deliberation.hidePost(database, await w.facilitator.actor(), postId, '离题');
		await deliberation.postArgument(database, me, s.itemId, { stance: 'con', body: '二' });
		await expect(deliberation.postArgument(database, me, s.itemId, { stance: 'con', body: '三' })).rejects.toBeInstanceOf(RuleBroken);
	});
});
