import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import * as concerns from '../../../src/lib/server/concerns/index.ts';
import * as notifications from '../../../src/lib/server/notifications/index.ts';
import { orgNodes } from '../../../src/lib/server/db/schema/index.ts';
import { gateWorld } from './world.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
beforeEach(async () => {
	database = await createTestDatabase();
	w = await gateWorld(database);
	await database.write((tx) =>
		tx
			.update(orgNodes)
			.set({ settings: JSON.stringify({ concernThreshold: { kind: 'count', count: 2 } }) })
			.where(eq(orgNodes.id, 'aijian'))
	);
});
afterEach(() => database.destroy());

const concern = {
	title: '爱建小区东门夜间照明不足',
	body: '东门到3号楼一段路没有路灯。',
	category: 'safety',
	compoundId: 'aijian',
	alsoAffects: []
};

describe('the signed-in home', () => {
	it('tells a resident what became of the concern they raised and that a notice is unread', async () => {
		const resident = await w.aijianResidents[0].actor();
		const { concernId } = await concerns.raiseConcern(database, resident, concern);
		expect((await notifications.personalHome(database, resident)).myConcerns).toEqual([
			{ id: concernId, title: concern.title, statusLabel: '征集附议中' }
		]);
		await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
		const home = await notifications.personalHome(database, resident);
		expect(home.myConcerns[0].statusLabel).toBe('待处理');
		expect(home.unread).toBe(1);
		expect(home.isStaff).toBe(false);
		expect(home.votes).toEqual([]);
	});

	it('gives the 居委 its triage work, and does not treat staff as residents waiting for verification', async () => {
		const { concernId } = await concerns.raiseConcern(database, await w.aijianResidents[0].actor(), concern);
		await concerns.cosignConcern(database, await w.aijianResidents[1].actor(), concernId);
		const home = await notifications.personalHome(database, await w.aijianStaff.actor());
		expect(home.isStaff).toBe(true);
		expect(home.tasks).toContainEqual({ title: `待处理议题：${concern.title}`, href: `/concerns/${concernId}` });
		// Once escalated it is the 片区's work, not the 居委's.
		await concerns.escalateConcern(database, await w.aijianStaff.actor(), concernId, '需要片区协调');
		expect((await notifications.personalHome(database, await w.aijianStaff.actor())).tasks).toEqual([]);
		expect((await notifications.personalHome(database, await w.coordinator.actor())).tasks.map((t) => t.href)).toEqual([
			`/concerns/${concernId}`
		]);
	});
});

describe('the visitor home', () => {
	it('lists no case before any agenda is published, and no record before any is published', async () => {
		expect(await notifications.publicHome(database)).toEqual({ cases: [], records: [] });
	});
});
