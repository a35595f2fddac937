import { eq } from 'drizzle-orm';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { units } from '../../../src/lib/server/db/schema/index.ts';
import { newGateCommunity, newUser } from '../communities/factories.ts';
import { insertNode } from '../../../src/lib/server/communities/tree.ts';
import { appendRosterVersion } from '../../../src/lib/server/roster/import.ts';
import { rosterOf } from '../communities/factories.ts';

/**
 * The gate case in miniature: 爱建 and 虹桥 under two 居委 of one 片区, residents on both sides,
 * each compound's 业委会, the 片区 coordinator, and a facilitator (granted per session later).
 */
export async function gateWorld(database: Database) {
	const tree = await newGateCommunity(database, 8);
	const unitsOf = async (compoundId: string) =>
		(await database.db.select({ id: units.id }).from(units).where(eq(units.compoundId, compoundId))).map((u) => u.id);
	const aijianUnits = await unitsOf('aijian');
	const hongqiaoUnits = await unitsOf('hongqiao');
	const aijianResidents = await Promise.all(aijianUnits.slice(0, 5).map((u) => newUser(database, { owns: [u] })));
	const hongqiaoResidents = await Promise.all(hongqiaoUnits.slice(0, 5).map((u) => newUser(database, { owns: [u] })));
	const tenant = await newUser(database, { livesIn: [aijianUnits[6]] });
	const aijianYwh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: 'aijian' }] });
	const hongqiaoYwh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: 'hongqiao' }] });
	const aijianStaff = await newUser(database, { grants: [{ role: 'committee_staff', scopeId: 'aijian-jw' }] });
	const coordinator = await newUser(database, { grants: [{ role: 'cluster_coordinator', scopeId: 'cluster' }] });
	const facilitator = await newUser(database);
	const stranger = await newUser(database);
	return {
		tree,
		aijianUnits,
		hongqiaoUnits,
		aijianResidents,
		hongqiaoResidents,
		tenant,
		aijianYwh,
		hongqiaoYwh,
		aijianStaff,
		coordinator,
		facilitator,
		stranger
	};
}

/** A third compound under 虹桥居民区 (like 仙霞), for "two compounds of one 居委". */
export async function addXianxia(database: Database) {
	await database.write(async (tx) => {
		await insertNode(tx, { id: 'xianxia', kind: 'compound', name: '仙霞小区', parentId: 'hongqiao-jw' });
		await appendRosterVersion(tx, { compoundId: 'xianxia', units: rosterOf(4, 'xianxia'), fileName: 'seed.csv', actorId: null });
	});
}
