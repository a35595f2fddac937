/**
 * Small factories for drafting and collaboration tests: rows written with database.write, the
 * same way the app writes them. The 爱建/虹桥 side-gate case is the default story.
 */
import type { Database } from '../../../src/lib/server/db/client.ts';
import { memberships, orgNodes, roleGrants, units, users } from '../../../src/lib/server/db/schema/index.ts';
import { createSession, generateSessionToken } from '../../../src/lib/server/auth/sessions.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import type { Actor, Role } from '../../../src/lib/domain/access/policy.ts';
import { newId } from '../../../src/lib/server/util/ids.ts';

export interface Tree {
	street: string;
	cluster: string;
	aijianCommittee: string;
	hongqiaoCommittee: string;
	aijian: string;
	hongqiao: string;
	/** A compound in the same 片区 that is not part of the gate case. */
	other: string;
}

async function node(
	database: Database,
	kind: 'street' | 'cluster' | 'committee' | 'compound' | 'building',
	name: string,
	parentId: string | null
): Promise<string> {
	const id = newId();
	await database.write((tx) => tx.insert(orgNodes).values({ id, kind, name, parentId, createdAt: Date.now() }));
	return id;
}

export async function newTree(database: Database): Promise<Tree> {
	const street = await node(database, 'street', '虹桥街道', null);
	const cluster = await node(database, 'cluster', '第一片区', street);
	const aijianCommittee = await node(database, 'committee', '爱建居民区', cluster);
	const hongqiaoCommittee = await node(database, 'committee', '虹桥居民区', cluster);
	const aijian = await node(database, 'compound', '爱建小区', aijianCommittee);
	const hongqiao = await node(database, 'compound', '虹桥小区', hongqiaoCommittee);
	const other = await node(database, 'compound', '荣华小区', hongqiaoCommittee);
	return { street, cluster, aijianCommittee, hongqiaoCommittee, aijian, hongqiao, other };
}

export interface TestUser {
	id: string;
	name: string;
	/** A live session token: use as the provider's `token` or as the yishi_session cookie. */
	token: string;
	actor(): Promise<Actor>;
}

export async function newUser(database: Database, name = '测试用户'): Promise<TestUser> {
	const id = newId();
	await database.write((tx) =>
		tx.insert(users).values({ id, login: `u-${id}`, displayName: name, passwordHash: 'x', createdAt: Date.now() })
	);
	const token = generateSessionToken();
	await createSession(database, token, id);
	return { id, name, token, actor: () => loadActor(database, id) };
}

/** A verified owner (or resident) of one unit in the compound. */
export async function newResident(
	database: Database,
	compoundId: string,
	options: { name?: string; relation?: 'owner' | 'resident' } = {}
): Promise<TestUser> {
	const user = await newUser(database, options.name ?? '居民');
	const buildingId = await node(database, 'building', `${newId().slice(0, 4)}号楼`, compoundId);
	const unitId = newId();
	await database.write(async (tx) => {
		await tx.insert(units).values({ id: unitId, compoundId, buildingId, room: '101', createdAt: Date.now() });
		await tx
			.insert(memberships)
			.values({ id: newId(), userId: user.id, unitId, relation: options.relation ?? 'owner', verifiedAt: Date.now() });
	});
	return user;
}

export async function newStaff(database: Database, role: Role, scopeId: string | null, name: string = role): Promise<TestUser> {
	const user = await newUser(database, name);
	await database.write((tx) => tx.insert(roleGrants).values({ id: newId(), userId: user.id, role, scopeId, grantedAt: Date.now() }));
	return user;
}

/** The side-gate case, drafting stage: three alternatives, people in every role the tests need. */
export async function seedGateCase(database: Database) {
	const { createDraft } = await import('../../../src/lib/server/drafting/index.ts');
	const tree = await newTree(database);
	const coordinator = await newStaff(database, 'cluster_coordinator', tree.cluster, '片区协调人');
	const aijianOwner = await newResident(database, tree.aijian, { name: '爱建业主' });
	const hongqiaoResident = await newResident(database, tree.hongqiao, { name: '虹桥居民', relation: 'resident' });
	const outsider = await newResident(database, tree.other, { name: '荣华业主' });
	const scrutineer = await newStaff(database, 'scrutineer', tree.cluster, '监票人');
	const draft = await createDraft(database, await coordinator.actor(), {
		title: '爱建—虹桥边门方案',
		compoundIds: [tree.aijian, tree.hongqiao],
		alternatives: [{ title: '全天开放' }, { title: '6:00–22:00 开放并改造公共空间' }, { title: '维持关闭' }]
	});
	return {
		tree,
		coordinator,
		aijianOwner,
		hongqiaoResident,
		outsider,
		scrutineer,
		draft,
		altA: draft.alternatives[0],
		altB: draft.alternatives[1]
	};
}
