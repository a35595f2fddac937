import type { Database } from '../../../src/lib/server/db/client.ts';
import { memberships, roleGrants, users } from '../../../src/lib/server/db/schema/index.ts';
import { insertNode } from '../../../src/lib/server/communities/tree.ts';
import { appendRosterVersion } from '../../../src/lib/server/roster/import.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import type { Role } from '../../../src/lib/domain/access/policy.ts';
import type { RosterUnit } from '../../../src/lib/domain/roster/index.ts';
import { newId } from '../../../src/lib/server/util/ids.ts';

/** 街道 → 片区 → two 居委 → 爱建 and 虹桥, with a small roster each. */
export async function newGateCommunity(database: Database, unitsPerCompound = 6) {
	return database.write(async (tx) => {
		const street = await insertNode(tx, { id: 'street', kind: 'street', name: '虹桥街道', parentId: null });
		const cluster = await insertNode(tx, { id: 'cluster', kind: 'cluster', name: '虹桥片区', parentId: street });
		const aijianJw = await insertNode(tx, { id: 'aijian-jw', kind: 'committee', name: '爱建居民区', parentId: cluster });
		const hongqiaoJw = await insertNode(tx, { id: 'hongqiao-jw', kind: 'committee', name: '虹桥居民区', parentId: cluster });
		const aijian = await insertNode(tx, { id: 'aijian', kind: 'compound', name: '爱建小区', parentId: aijianJw });
		const hongqiao = await insertNode(tx, { id: 'hongqiao', kind: 'compound', name: '虹桥小区', parentId: hongqiaoJw });
		for (const compoundId of [aijian, hongqiao]) {
			await appendRosterVersion(tx, {
				compoundId,
				units: rosterOf(unitsPerCompound, compoundId),
				fileName: 'seed.csv',
				actorId: null
			});
		}
		return { street, cluster, aijianJw, hongqiaoJw, aijian, hongqiao };
	});
}

export function rosterOf(n: number, tag = 'x'): RosterUnit[] {
	return Array.from({ length: n }, (_, i) => ({
		building: `${1 + Math.floor(i / 4)}号楼`,
		room: String(101 + (i % 4)),
		areaHundredths: 8000 + i * 37,
		areaSource: 'registered' as const,
		status: 'owned' as const,
		owners: [{ name: `业主${tag}${i}` }]
	}));
}

export async function newUser(
	database: Database,
	options: { grants?: { role: Role; scopeId: string | null }[]; owns?: string[]; livesIn?: string[] } = {}
) {
	const id = newId();
	await database.write(async (tx) => {
		await tx.insert(users).values({ id, login: `u${id}`, displayName: `用户${id.slice(0, 4)}`, passwordHash: 'x', createdAt: 1 });
		for (const g of options.grants ?? [])
			await tx.insert(roleGrants).values({ id: newId(), userId: id, role: g.role, scopeId: g.scopeId, grantedAt: 1 });
		for (const unitId of options.owns ?? [])
			await tx.insert(memberships).values({ id: newId(), userId: id, unitId, relation: 'owner', verifiedAt: 1 });
		for (const unitId of options.livesIn ?? [])
			await tx.insert(memberships).values({ id: newId(), userId: id, unitId, relation: 'resident', verifiedAt: 1 });
	});
	return { id, actor: () => loadActor(database, id) };
}
