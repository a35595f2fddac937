/**
 * The administration area's services: building the community tree and granting roles, on a real
 * libSQL file. A 业委会 member's term decides whether the grant counts (DOMAIN.md §9).
 */
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { newGateCommunity, newUser } from '../communities/factories.ts';
import { addNode, archiveNode, renameNode, restoreNode, treeFor } from '../../../src/lib/server/admin/tree.ts';
import { grantRole, grantsManagedBy, revokeGrant, scopeChoices } from '../../../src/lib/server/admin/grants.ts';
import { compoundsManagedBy, grantsOfUser } from '../../../src/lib/server/communities/staff.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { createSession, generateSessionToken, validateSessionAndActor } from '../../../src/lib/server/auth/sessions.ts';
import { auditLog, orgNodes, users } from '../../../src/lib/server/db/schema/index.ts';
import { decide } from '../../../src/lib/domain/access/policy.ts';
import { compoundScope } from '../../../src/lib/server/access.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import { clock } from '../../../src/lib/server/util/clock.ts';
import { newId } from '../../../src/lib/server/util/ids.ts';

let database: TestDatabase;
databaseForEachTest((created) => (database = created));

async function registered(login: string) {
	const id = newId();
	await database.write((tx) => tx.insert(users).values({ id, login, displayName: `用户${login}`, passwordHash: 'x', createdAt: 1 }));
	return id;
}

async function auditActions() {
	return (await database.db.select({ action: auditLog.action, subjectId: auditLog.subjectId }).from(auditLog)).map((r) => r.action);
}

describe('community tree', () => {
	it('an admin builds 街道 → 片区 → 居委 → 小区 → 楼栋, each under the right kind', async () => {
		const admin = await newUser(database, { grants: [{ role: 'admin', scopeId: null }] });
		const actor = await admin.actor();
		const street = await addNode(database, actor, { kind: 'street', parentId: null, name: '  新华街道 ' });
		const cluster = await addNode(database, actor, { kind: 'cluster', parentId: street.id, name: '第一片区' });
		const committee = await addNode(database, actor, { kind: '居委', parentId: cluster.id, name: '幸福居民区' });
		const compound = await addNode(database, actor, { kind: 'compound', parentId: committee.id, name: '幸福小区' });
		await addNode(database, actor, { kind: 'building', parentId: compound.id, name: '1号楼' });
		const tree = await treeFor(database, actor);
		expect(tree.map((n) => `${'  '.repeat(n.depth)}${n.kindLabel}:${n.name}`)).toEqual([
			'街道:新华街道',
			'  片区:第一片区',
			'    居委:幸福居民区',
			'      小区:幸福小区',
			'        楼栋:1号楼'
		]);
		expect((await compoundScope(database, compound.id)).chain).toEqual([compound.id, committee.id, cluster.id, street.id]);
		expect((await auditActions()).filter((a) => a === 'node.create')).toHaveLength(5);
	});

	it('refuses a node under the wrong kind, a missing parent, an empty or duplicate name, with Chinese messages', async () => {
		const ids = await newGateCommunity(database, 2);
		const actor = await (await newUser(database, { grants: [{ role: 'admin', scopeId: null }] })).actor();
		await expect(addNode(database, actor, { kind: 'compound', parentId: ids.cluster, name: '错位小区' })).rejects.toThrow(
			'小区只能放在居委下面'
		);
		await expect(addNode(database, actor, { kind: 'cluster', parentId: null, name: '无主片区' })).rejects.toThrow(InvalidInput);
		await expect(addNode(database, actor, { kind: 'compound', parentId: ids.aijianJw, name: '   ' })).rejects.toThrow(
			'请填写小区的名称'
		);
		await expect(addNode(database, actor, { kind: 'compound', parentId: ids.aijianJw, name: '爱建小区' })).rejects.toThrow(
			'已经有这个名字'
		);
		await expect(addNode(database, actor, { kind: 'street', parentId: null, name: '虹桥街道' })).rejects.toThrow('已经有这个名字');
	});

	it('a 居委 worker manages the 小区 and 楼栋 of their own 居委 only', async () => {
		const ids = await newGateCommunity(database, 2);
		const actor = await (await newUser(database, { grants: [{ role: 'committee_staff', scopeId: ids.aijianJw }] })).actor();
		const added = await addNode(database, actor, { kind: 'compound', parentId: ids.aijianJw, name: '爱建新苑' });
		await addNode(database, actor, { kind: 'building', parentId: added.id, name: '8号楼' });
		await renameNode(database, actor, { nodeId: added.id, name: '爱建新村' });
		await expect(addNode(database, actor, { kind: 'compound', parentId: ids.hongqiaoJw, name: '越界小区' })).rejects.toThrow(
			AccessDenied
		);
		await expect(renameNode(database, actor, { nodeId: ids.aijianJw, name: '改名居委' })).rejects.toThrow(AccessDenied);
		await expect(addNode(database, actor, { kind: 'committee', parentId: ids.cluster, name: '新居委' })).rejects.toThrow(AccessDenied);
		await expect(archiveNode(database, actor, ids.hongqiao)).rejects.toThrow(AccessDenied);
		const tree = await treeFor(database, actor);
		expect(tree.map((n) => n.name)).toContain('爱建新村');
		expect(tree.map((n) => n.name)).not.toContain('虹桥小区');
		expect(tree.find((n) => n.id === ids.aijianJw)).toMatchObject({ canEdit: false, childKind: 'compound' });
	});

	it('archiving hides a compound from the choosers and keeps its history; restoring brings it back', async () => {
		const ids = await newGateCommunity(database, 2);
		const admin = await (await newUser(database, { grants: [{ role: 'admin', scopeId: null }] })).actor();
		const staff = await (await newUser(database, { grants: [{ role: 'committee_staff', scopeId: ids.aijianJw }] })).actor();
		await archiveNode(database, staff, ids.aijian);
		expect((await compoundsManagedBy(database, admin)).map((c) => c.id)).toEqual([ids.hongqiao]);
		expect((await treeFor(database, admin)).map((n) => n.id)).not.toContain(ids.aijian);
		expect((await treeFor(database, admin, { includeArchived: true })).find((n) => n.id === ids.aijian)?.archived).toBe(true);
		// Nothing can be added below an archived node; its row and chain are still there.
		await expect(addNode(database, admin, { kind: 'building', parentId: ids.aijian, name: '9号楼' })).rejects.toThrow(RuleBroken);
		expect((await compoundScope(database, ids.aijian)).chain).toEqual([ids.aijian, ids.aijianJw, ids.cluster, ids.street]);
		// Archiving the 居委 takes its whole subtree out of the choosers.
		await restoreNode(database, staff, ids.aijian);
		await archiveNode(database, admin, ids.aijianJw);
		expect((await compoundsManagedBy(database, admin)).map((c) => c.id)).toEqual([ids.hongqiao]);
		await restoreNode(database, admin, ids.aijianJw);
		expect((await compoundsManagedBy(database, admin)).map((c) => c.id).sort()).toEqual([ids.aijian, ids.hongqiao].sort());
		expect(await auditActions()).toEqual(expect.arrayContaining(['node.archive', 'node.restore']));
		const [row] = await database.db.select().from(orgNodes).where(eq(orgNodes.id, ids.aijian));
		expect(row.archivedAt).toBeNull();
	});
});

describe('role grants', () => {
	it('a 居委 worker appoints a 业委会 member of a 小区 of their 居委, with a term; revoking is audited', async () => {
		const ids = await newGateCommunity(database, 2);
		const staff = await (await newUser(database, { grants: [{ role: 'committee_staff', scopeId: ids.aijianJw }] })).actor();
		const memberId = await registered('13800138000');
		const { grantId } = await grantRole(database, staff, {
			login: '138-0013-8000',
			role: 'owners_committee',
			scopeId: ids.aijian,
			from: '2026-01-01',
			to: '2028-12-31'
		});
		const rows = await grantsManagedBy(database, staff);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			userId: memberId,
			role: 'owners_committee',
			scopeName: '爱建小区',
			validFrom: '2026-01-01',
			validTo: '2028-12-31'
		});
		await revokeGrant(database, staff, grantId);
		expect(await grantsManagedBy(database, staff)).toEqual([]);
		const trail = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, memberId));
		expect(trail.map((r) => r.action)).toEqual(['role.grant', 'role.revoke']);
		expect(trail.every((r) => r.actorId === staff.userId)).toBe(true);
	});

	it('a 居委 worker cannot appoint in another 居委, nor grant any other role', async () => {
		const ids = await newGateCommunity(database, 2);
		const staff = await (await newUser(database, { grants: [{ role: 'committee_staff', scopeId: ids.aijianJw }] })).actor();
		await registered('wangayi');
		await expect(
			grantRole(database, staff, {
				login: 'wangayi',
				role: 'owners_committee',
				scopeId: ids.hongqiao,
				from: '2026-01-01',
				to: '2028-12-31'
			})
		).rejects.toThrow(AccessDenied);
		await expect(grantRole(database, staff, { login: 'wangayi', role: 'committee_staff', scopeId: ids.aijianJw })).rejects.toThrow(
			AccessDenied
		);
		await expect(grantRole(database, staff, { login: 'wangayi', role: 'admin' })).rejects.toThrow(AccessDenied);
		expect((await scopeChoices(database, staff)).map((c) => [c.role, c.scopes.map((s) => s.id)])).toEqual([
			['owners_committee', [ids.aijian]]
		]);
	});

	it('checks the person, the scope kind and the term, in Chinese', async () => {
		const ids = await newGateCommunity(database, 2);
		const admin = await (await newUser(database, { grants: [{ role: 'admin', scopeId: null }] })).actor();
		await registered('laoli');
		await expect(grantRole(database, admin, { login: 'nobody', role: 'scrutineer', scopeId: ids.cluster })).rejects.toThrow(
			'请对方先在本系统注册'
		);
		await expect(
			grantRole(database, admin, {
				login: 'laoli',
				role: 'owners_committee',
				scopeId: ids.aijianJw,
				from: '2026-01-01',
				to: '2027-01-01'
			})
		).rejects.toThrow('不能是居委');
		await expect(grantRole(database, admin, { login: 'laoli', role: 'owners_committee', scopeId: ids.aijian })).rejects.toThrow(
			'要填写任期'
		);
		await expect(
			grantRole(database, admin, {
				login: 'laoli',
				role: 'owners_committee',
				scopeId: ids.aijian,
				from: '2027-01-01',
				to: '2026-01-01'
			})
		).rejects.toThrow(InvalidInput);
		await expect(
			grantRole(database, admin, {
				login: 'laoli',
				role: 'owners_committee',
				scopeId: ids.aijian,
				from: '2026-02-30',
				to: '2027-01-01'
			})
		).rejects.toThrow(InvalidInput);
		await grantRole(database, admin, { login: 'laoli', role: 'committee_staff', scopeId: ids.hongqiaoJw });
		await expect(grantRole(database, admin, { login: 'laoli', role: 'committee_staff', scopeId: ids.hongqiaoJw })).rejects.toThrow(
			'已经是居委工作人员了'
		);
	});

	it('a 业委会 term grants nothing before it starts or after it ends — in services and on the request path', async () => {
		const ids = await newGateCommunity(database, 2);
		const admin = await (await newUser(database, { grants: [{ role: 'admin', scopeId: null }] })).actor();
		const memberId = await registered('xiaozhang');
		const day = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
		let now = day('2025-12-31') + 23 * 3_600_000; // 2025-12-31 23:00 China time
		vi.spyOn(clock, 'now').mockImplementation(() => now);
		await grantRole(database, admin, {
			login: 'xiaozhang',
			role: 'owners_committee',
			scopeId: ids.aijian,
			from: '2026-01-01',
			to: '2028-12-31'
		});
		const target = { compounds: [await compoundScope(database, ids.aijian)] };
		const mayManage = async () => {
			const viaService = decide(await loadActor(database, memberId), 'roster.manage', target).allowed;
			const token = generateSessionToken(); // sessions expire in months; the term spans years
			await createSession(database, token, memberId);
			const viaRequest = decide((await validateSessionAndActor(database, token)).actor, 'roster.manage', target).allowed;
			expect(viaRequest).toBe(viaService);
			return viaService;
		};
		expect(await mayManage()).toBe(false);
		expect(await grantsOfUser(database, memberId)).toEqual([]);
		const termOf = async () => (await grantsManagedBy(database, admin)).find((g) => g.userId === memberId)!;
		expect((await termOf()).status).toBe('not_started');
		now = day('2026-01-01');
		expect(await mayManage()).toBe(true);
		now = day('2029-01-01') - 1; // the last moment of 2028-12-31
		expect(await mayManage()).toBe(true);
		now = day('2029-01-01');
		expect(await mayManage()).toBe(false);
		expect(await compoundsManagedBy(database, await loadActor(database, memberId))).toEqual([]);
		expect((await termOf()).statusLabel).toBe('任期已结束');
		// A new term for the same person and compound closes the ended one.
		await grantRole(database, admin, {
			login: 'xiaozhang',
			role: 'owners_committee',
			scopeId: ids.aijian,
			from: '2029-01-01',
			to: '2031-12-31'
		});
		expect(await mayManage()).toBe(true);
		expect((await grantsManagedBy(database, admin)).filter((g) => g.role === 'owners_committee')).toHaveLength(1);
		expect(await auditActions()).toEqual(expect.arrayContaining(['role.close_ended']));
	});

	it('an admin cannot revoke their own administrator grant', async () => {
		const admin = await newUser(database, { grants: [{ role: 'admin', scopeId: null }] });
		const actor = await admin.actor();
		const [own] = (await grantsManagedBy(database, actor)).filter((g) => g.userId === admin.id);
		await expect(revokeGrant(database, actor, own.id)).rejects.toThrow('不能撤销自己的管理员权限');
	});
});
