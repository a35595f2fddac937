import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import * as concerns from '../../../src/lib/server/concerns/index.ts';
import * as notices from '../../../src/lib/server/notifications/index.ts';
import { concernPhotos, notifications, orgNodes } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import { addXianxia, gateWorld } from './world.ts';
import { phonePhoto, redSide } from '../../fixtures/photos/phone-photo.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
beforeEach(async () => {
	database = await createTestDatabase();
	w = await gateWorld(database);
	// A count threshold of 3 households in 爱建.
	await database.write((tx) =>
		tx
			.update(orgNodes)
			.set({ settings: JSON.stringify({ concernThreshold: { kind: 'count', count: 3 } }) })
			.where(eq(orgNodes.id, 'aijian'))
	);
});
afterEach(() => database.destroy());

const gateConcern = {
	title: '重新开放爱建与虹桥之间的边门',
	body: '边门关了三年，去地铁站要多绕十分钟。',
	category: 'traffic',
	location: '爱建小区东侧边门',
	compoundId: 'aijian',
	alsoAffects: ['hongqiao']
};

async function raiseAndQueue() {
	const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
	await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
	await concerns.cosignConcern(database, await w.hongqiaoResidents[0].actor(), concernId);
	return concernId;
}

describe('raising and co-signing a concern', () => {
	it('a raised concern collects co-signs until the threshold puts it in the triage queue', async () => {
		const { concernId, status } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		expect(status).toBe('collecting');
		expect((await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId)).queued).toBe(false);
		const third = await concerns.cosignConcern(database, await w.hongqiaoResidents[0].actor(), concernId);
		expect(third).toEqual({ support: 3, queued: true });
		const queue = await concerns.triageQueue(database, await w.aijianYwh.actor());
		expect(queue.map((c) => c.id)).toEqual([concernId]);
		const told = await database.db.select().from(notifications).where(eq(notifications.userId, w.aijianYwh.id));
		expect(told.map((n) => n.title)).toContain(`新议题待处理：${gateConcern.title}`);
	});

	it('refuses a second co-sign by the same person with a clear message', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
		await expect(concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId)).rejects.toThrow(
			'您已经附议过这个议题了'
		);
	});

	it('refuses the raiser co-signing their own concern again', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		await expect(concerns.cosignConcern(database, await w.aijianResidents[0].actor(), concernId)).rejects.toBeInstanceOf(RuleBroken);
	});

	it('two co-signs of one person in flight at once count once', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		const actor = await w.aijianResidents[1].actor();
		const results = await Promise.allSettled([
			concerns.cosignConcern(database, actor, concernId),
			concerns.cosignConcern(database, actor, concernId)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect((await concerns.concernDetail(database, actor, concernId)).support).toBe(2);
	});

	it('a tenant may co-sign (residents, not only owners)', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		expect((await concerns.cosignConcern(database, await w.tenant.actor(), concernId)).support).toBe(2);
	});

	it('refuses a co-sign from someone who lives in neither compound', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		await expect(concerns.cosignConcern(database, await w.stranger.actor(), concernId)).rejects.toThrow(
			'只有本小区已核验的居民可以附议'
		);
	});

	it('refuses raising a concern in a compound one does not live in', async () => {
		await expect(
			concerns.raiseConcern(database, await w.aijianResidents[0].actor(), { ...gateConcern, compoundId: 'hongqiao', alsoAffects: [] })
		).rejects.toBeInstanceOf(AccessDenied);
	});

	it('refuses a concern without a title, with the field named', async () => {
		const e = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), { ...gateConcern, title: ' ' }).catch((x) => x);
		expect(e).toBeInstanceOf(InvalidInput);
		expect(e.fields.title).toBeTruthy();
	});

	it('a share threshold counts households: 1/4 of 16 households needs 4', async () => {
		await database.write((tx) =>
			tx
				.update(orgNodes)
				.set({ settings: JSON.stringify({ concernThreshold: { kind: 'share', numerator: 1, denominator: 4 } }) })
				.where(eq(orgNodes.id, 'aijian'))
		);
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), gateConcern);
		await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
		expect((await concerns.cosignConcern(database, await w.aijianResidents[2].actor(), concernId)).queued).toBe(false);
		expect((await concerns.cosignConcern(database, await w.hongqiaoResidents[1].actor(), concernId)).queued).toBe(true);
	});

	it('stores photos upright and without their EXIF block (GPS), and refuses a file that is not a photo', async () => {
		const photo = await phonePhoto({ width: 320, height: 240 });
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), {
			...gateConcern,
			photos: [photo]
		});
		const [stored] = await database.db.select().from(concernPhotos).where(eq(concernPhotos.concernId, concernId));
		expect((await sharp(stored.bytes).metadata()).exif).toBeUndefined();
		expect(await redSide(stored.bytes)).toMatchObject({ width: 240, height: 320, red: 'right' });
		expect(stored.contentType).toBe('image/jpeg');
		await expect(
			concerns.raiseConcern(database, await w.aijianResidents[0].actor(), {
				...gateConcern,
				photos: [new TextEncoder().encode('<svg onload=alert(1)>')]
			})
		).rejects.toThrow('只能上传 JPG、PNG 或 WebP 照片');
	});
});

describe('triage', () => {
	it('a cross-compound concern cannot be accepted by the 业委会: it must go to the 片区', async () => {
		const concernId = await raiseAndQueue();
		await expect(
			concerns.triageConcern(database, await w.aijianYwh.actor(), concernId, { outcome: 'accept', reason: '同意' })
		).rejects.toThrow('须上报片区处理');
	});

	it('escalation sends it to the common 片区, whose coordinator accepts it; the submitter sees each reason', async () => {
		const concernId = await raiseAndQueue();
		const { escalatedTo } = await concerns.escalateConcern(database, await w.aijianStaff.actor(), concernId, '涉及爱建、虹桥两个小区');
		expect(escalatedTo).toBe('cluster');
		expect(await concerns.triageQueue(database, await w.aijianYwh.actor())).toHaveLength(0);
		expect((await concerns.triageQueue(database, await w.coordinator.actor())).map((c) => c.id)).toEqual([concernId]);
		await concerns.triageConcern(database, await w.coordinator.actor(), concernId, { outcome: 'accept', reason: '列入片区协商议程' });
		const seen = await concerns.concernDetail(database, await w.aijianResidents[0].actor(), concernId);
		expect(seen.status).toBe('accepted');
		expect(seen.history.map((h) => [h.outcomeLabel, h.reason])).toEqual([
			['上报片区', '涉及爱建、虹桥两个小区'],
			['列入议程', '列入片区协商议程']
		]);
		const inbox = await notices.inbox(database, await w.aijianResidents[0].actor());
		expect(inbox.entries.map((e) => e.body)).toContain('理由：列入片区协商议程');
	});

	async function raiseLocalAndEscalate() {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), {
			...gateConcern,
			title: '爱建小区东门夜间照明不足',
			alsoAffects: []
		});
		await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
		await concerns.cosignConcern(database, await w.aijianResidents[2].actor(), concernId);
		await concerns.escalateConcern(database, await w.aijianStaff.actor(), concernId, '需要片区协调路灯改造经费');
		return concernId;
	}

	it('once escalated, the 居委 that sent it up can no longer answer it: the 片区 owns it', async () => {
		const concernId = await raiseLocalAndEscalate();
		const staff = await w.aijianStaff.actor();
		await expect(
			concerns.triageConcern(database, staff, concernId, { outcome: 'answer', reason: '我们自己答复' })
		).rejects.toBeInstanceOf(AccessDenied);
		expect((await concerns.concernDetail(database, staff, concernId)).mayTriage).toBe(false);
		expect(await concerns.triageQueue(database, staff)).toHaveLength(0);
		expect((await concerns.triageQueue(database, await w.coordinator.actor())).map((c) => c.id)).toEqual([concernId]);
	});

	it('the 片区 hands a one-compound concern back with a reason; the 居委 then answers it', async () => {
		const concernId = await raiseLocalAndEscalate();
		const coordinator = await w.coordinator.actor();
		expect((await concerns.concernDetail(database, coordinator, concernId)).outcomes).toEqual([
			'accept',
			'answer',
			'merge',
			'reject',
			'hand_back'
		]);
		await expect(concerns.handBackConcern(database, coordinator, concernId, ' ')).rejects.toThrow('请写明处理理由');
		await expect(concerns.handBackConcern(database, await w.aijianStaff.actor(), concernId, '退回')).rejects.toBeInstanceOf(
			AccessDenied
		);
		expect((await concerns.handBackConcern(database, coordinator, concernId, '路灯属于小区公共设施，请居委协调物业')).status).toBe(
			'queued'
		);
		const staff = await w.aijianStaff.actor();
		expect((await concerns.triageQueue(database, staff)).map((c) => c.id)).toEqual([concernId]);
		expect((await concerns.concernDetail(database, staff, concernId)).outcomes).toEqual([
			'accept',
			'answer',
			'merge',
			'reject',
			'escalate'
		]);
		const told = await notices.inbox(database, staff);
		expect(told.entries.map((e) => e.title)).toContain('片区退回的议题：爱建小区东门夜间照明不足');
		await concerns.triageConcern(database, staff, concernId, { outcome: 'answer', reason: '物业本周内加装两盏路灯' });
		const seen = await concerns.concernDetail(database, await w.aijianResidents[0].actor(), concernId);
		expect(seen.history.map((h) => [h.outcomeLabel, h.level])).toEqual([
			['上报片区', 'local'],
			['退回居委处理', 'cluster'],
			['直接答复', 'local']
		]);
	});

	it('a concern touching two compounds cannot be handed back, and the 居委 is offered only escalation, merge or rejection', async () => {
		const concernId = await raiseAndQueue();
		expect((await concerns.concernDetail(database, await w.aijianStaff.actor(), concernId)).outcomes).toEqual([
			'merge',
			'reject',
			'escalate'
		]);
		await concerns.escalateConcern(database, await w.aijianStaff.actor(), concernId, '涉及爱建、虹桥两个小区');
		const coordinator = await w.coordinator.actor();
		expect((await concerns.concernDetail(database, coordinator, concernId)).outcomes).not.toContain('hand_back');
		await expect(concerns.handBackConcern(database, coordinator, concernId, '请居委处理')).rejects.toThrow('须由片区处理');
	});

	it('refuses a triage step without a reason', async () => {
		const concernId = await raiseAndQueue();
		await expect(concerns.escalateConcern(database, await w.aijianYwh.actor(), concernId, '  ')).rejects.toThrow('请写明处理理由');
	});

	it("refuses triage by the other compound's 业委会", async () => {
		const concernId = await raiseAndQueue();
		await expect(concerns.escalateConcern(database, await w.hongqiaoYwh.actor(), concernId, '上报')).rejects.toBeInstanceOf(
			AccessDenied
		);
	});

	it('refuses triage of a concern still collecting co-signs', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), {
			...gateConcern,
			alsoAffects: []
		});
		await expect(
			concerns.triageConcern(database, await w.aijianYwh.actor(), concernId, { outcome: 'answer', reason: '已答复' })
		).rejects.toThrow('还在征集附议');
	});

	it('a one-compound concern is answered, rejected or merged locally', async () => {
		const raise = async (title: string) => {
			const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), {
				...gateConcern,
				title,
				alsoAffects: []
			});
			await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
			await concerns.cosignConcern(database, await w.aijianResidents[2].actor(), concernId);
			return concernId;
		};
		const a = await raise('1号楼路灯不亮');
		const b = await raise('1号楼门口路灯坏了');
		const c = await raise('小区里养鸡');
		const ywh = await w.aijianYwh.actor();
		expect((await concerns.triageConcern(database, ywh, a, { outcome: 'answer', reason: '物业已于周一修好' })).status).toBe('answered');
		await expect(concerns.triageConcern(database, ywh, b, { outcome: 'merge', reason: '重复', mergeInto: b })).rejects.toThrow(
			'不能与自己合并'
		);
		expect((await concerns.triageConcern(database, ywh, b, { outcome: 'merge', reason: '与另一条重复', mergeInto: c })).status).toBe(
			'merged'
		);
		expect((await concerns.triageConcern(database, ywh, c, { outcome: 'reject', reason: '属于城管执法范围，已转告' })).status).toBe(
			'rejected'
		);
		await expect(concerns.triageConcern(database, ywh, c, { outcome: 'reject', reason: '再来一次' })).rejects.toThrow('已经处理过了');
	});

	it('two compounds of one 居委 still go to the 片区 (a concern touching several compounds)', async () => {
		await addXianxia(database);
		const concernId = (
			await concerns.raiseConcern(database, await w.hongqiaoResidents[0].actor(), {
				...gateConcern,
				compoundId: 'hongqiao',
				alsoAffects: ['xianxia']
			})
		).concernId;
		await database.write((tx) => tx.update(orgNodes).set({ settings: '{}' }).where(eq(orgNodes.id, 'hongqiao')));
		for (const r of w.hongqiaoResidents.slice(1, 5)) await concerns.cosignConcern(database, await r.actor(), concernId);
		expect((await concerns.escalateConcern(database, await w.hongqiaoYwh.actor(), concernId, '涉及两个小区')).escalatedTo).toBe(
			'cluster'
		);
	});
});
