/**
 * Factories for records service tests: two compounds under two 居委 in one 街道, a closed joint
 * ballot with real votes (electronic, through the voting services), and the people who sign,
 * publish, object and rate. Time is faked through the server clock.
 */
import type { Database } from '../../../src/lib/server/db/client.ts';
import { insertNode } from '../../../src/lib/server/communities/tree.ts';
import { castElectronicBallot, closeBallot } from '../../../src/lib/server/voting/index.ts';
import { signCount } from '../../../src/lib/server/records/index.ts';
import {
	DAY,
	fakeTime,
	newCompound,
	newOpenBallot,
	newOwner,
	newStaff,
	newTenant,
	type TestCompound,
	type TestOwner
} from '../voting/factories.ts';

export { DAY, fakeTime, newStaff };

export async function newRecordsWorld(database: Database, time: ReturnType<typeof fakeTime>) {
	const ids = await database.write(async (tx) => {
		const street = await insertNode(tx, { kind: 'street', name: '虹桥街道', parentId: null });
		const cluster = await insertNode(tx, { kind: 'cluster', name: '虹桥片区', parentId: street });
		const aijianJw = await insertNode(tx, { kind: 'committee', name: '爱建居民区', parentId: cluster });
		const hongqiaoJw = await insertNode(tx, { kind: 'committee', name: '虹桥居民区', parentId: cluster });
		return { street, cluster, aijianJw, hongqiaoJw };
	});
	const aijian = await newCompound(database, { units: 6, name: '爱建小区', parentId: ids.aijianJw });
	const hongqiao = await newCompound(database, { units: 6, name: '虹桥小区', parentId: ids.hongqiaoJw });
	const aijianYwh = await newStaff(database, 'owners_committee', aijian.compoundId, '爱建业委会');
	const hongqiaoYwh = await newStaff(database, 'owners_committee', hongqiao.compoundId, '虹桥业委会');
	const juwei = await newStaff(database, 'committee_staff', ids.aijianJw, '居委');
	await database.write(async (tx) => {
		const { roleGrants } = await import('../../../src/lib/server/db/schema/index.ts');
		const { newId } = await import('../../../src/lib/server/util/ids.ts');
		await tx
			.insert(roleGrants)
			.values({ id: newId(), userId: juwei.userId, role: 'committee_staff', scopeId: ids.hongqiaoJw, grantedAt: 1 });
	});
	const { loadActor } = await import('../../../src/lib/server/access.ts');
	juwei.actor = await loadActor(database, juwei.userId);
	const admin = await newStaff(database, 'admin', null, '管理员');
	const owners: TestOwner[] = [];
	for (const c of [aijian, hongqiao]) for (let i = 0; i < 5; i++) owners.push(await newOwner(database, c));
	const tenant = await newTenant(database, aijian);
	return { ...ids, aijian, hongqiao, aijianYwh, hongqiaoYwh, juwei, admin, owners, tenant, time };
}

export type World = Awaited<ReturnType<typeof newRecordsWorld>>;

/** A joint major ballot on the gate, voted (5 of 6 units each, mostly yes, unless `voters` says fewer), closed and optionally signed. */
export async function newClosedBallot(
	database: Database,
	world: World,
	options: { sign?: boolean; masked?: string[]; voters?: number } = {}
) {
	const compounds: TestCompound[] = [world.aijian, world.hongqiao];
	const { ballotId, closesAt } = await newOpenBallot(database, world.time, world.admin.actor, compounds, {
		title: '侧门改造方案表决',
		motions: [{ id: 'B', title: '方案B 6:00–22:00 开放并改造共享空间' }]
	});
	for (const [i, owner] of world.owners.entries()) {
		// With `voters`, only the first that many owners of each compound vote (5 owners each).
		if (options.voters !== undefined && i % 5 >= options.voters) continue;
		await castElectronicBallot(database, owner.actor, { ballotId, choices: { B: i % 5 === 4 ? 'no' : 'yes' } });
	}
	world.time.set(closesAt + 3600_000);
	await closeBallot(database, world.aijianYwh.actor, { ballotId });
	if (options.sign ?? true) {
		await signCount(database, world.aijianYwh.actor, {
			ballotId,
			compoundId: world.aijian.compoundId,
			unitVotes: options.masked?.includes('aijian') ? 'masked' : 'none'
		});
		await signCount(database, world.hongqiaoYwh.actor, {
			ballotId,
			compoundId: world.hongqiao.compoundId,
			unitVotes: options.masked?.includes('hongqiao') ? 'masked' : 'none'
		});
	}
	return { ballotId };
}
