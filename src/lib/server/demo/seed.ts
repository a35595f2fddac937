import { sql } from 'drizzle-orm';
import { generateDemoData, type DemoPersonKey } from '../../domain/demo/index.ts';
import type { Role } from '../../domain/access/policy.ts';
import type { Database, Tx } from '../db/client.ts';
import { memberships, orgNodes, roleGrants, units, users } from '../db/schema/index.ts';
import { hashPassword } from '../auth/passwords.ts';
import { appendRosterVersion } from '../roster/import.ts';
import { seedRecordsDemo } from '../records/demo.ts';
import { seedAgendaDemo } from '../agenda/demo.ts';
import { seedVotingDemo } from '../voting/demo.ts';
import { seedDraftingDemo } from '../drafting/demo.ts';
import { insertNode } from '../communities/tree.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { and, eq } from 'drizzle-orm';

/** Every demo account shares this password; the start command prints it. */
export const DEMO_PASSWORD = 'yishi2026';

export interface DemoAccount {
	login: string;
	displayName: string;
	role: string;
	userId: string;
}

interface AccountSpec {
	login: string;
	displayName: string;
	role: string;
	person?: DemoPersonKey;
	grants?: { role: Role; scopeId: string | null }[];
}

/** One login per role (DOMAIN.md §6). Scope ids are the demo tree's stable ids. */
const ACCOUNTS: AccountSpec[] = [
	{ login: 'aijian_owner', displayName: '张三（爱建业主）', role: '爱建小区业主（两套房）', person: 'aijianOwner' },
	{ login: 'hongqiao_owner', displayName: '李四（虹桥业主）', role: '虹桥小区业主', person: 'hongqiaoOwner' },
	{ login: 'xianxia_owner', displayName: '王五（仙霞业主）', role: '仙霞小区业主', person: 'xianxiaOwner' },
	{ login: 'tenant', displayName: '赵六（租户）', role: '爱建小区租户', person: 'tenant' },
	{
		login: 'aijian_ywh',
		displayName: '孙七（爱建业委会）',
		role: '爱建小区业委会成员',
		person: 'aijianCommitteeMember',
		grants: [{ role: 'owners_committee', scopeId: 'aijian' }]
	},
	{
		login: 'hongqiao_ywh',
		displayName: '周八（虹桥业委会）',
		role: '虹桥小区业委会成员',
		person: 'hongqiaoCommitteeMember',
		grants: [{ role: 'owners_committee', scopeId: 'hongqiao' }]
	},
	{
		login: 'hongqiao_ywh2',
		displayName: '吴九（虹桥业委会）',
		role: '虹桥小区业委会成员（纸质票复核）',
		person: 'hongqiaoCommitteeMember2',
		grants: [{ role: 'owners_committee', scopeId: 'hongqiao' }]
	},
	{
		login: 'juwei',
		displayName: '郑老师（居委）',
		role: '爱建、虹桥两个居委的工作人员',
		grants: [
			{ role: 'committee_staff', scopeId: 'aijian-committee' },
			{ role: 'committee_staff', scopeId: 'hongqiao-committee' }
		]
	},
	{
		login: 'pianqu',
		displayName: '冯主任（片区）',
		role: '片区协调人',
		grants: [{ role: 'cluster_coordinator', scopeId: 'hongqiao-cluster' }]
	},
	{
		login: 'facilitator',
		displayName: '陈老师（高校团队）',
		role: '主持人（高校赋能团队）',
		grants: [{ role: 'facilitator', scopeId: 'gate-case' }]
	},
	{ login: 'scrutineer', displayName: '褚监票', role: '监票人', grants: [{ role: 'scrutineer', scopeId: 'hongqiao-cluster' }] },
	{ login: 'admin', displayName: '管理员', role: '系统管理员', grants: [{ role: 'admin', scopeId: null }] }
];

/**
 * Seeds the 爱建/虹桥 demo (illustrative, invented, labelled 演示数据) when the database has no
 * community yet. Returns the accounts to print, or null when there was something already.
 */
export async function seedDemoIfEmpty(database: Database): Promise<DemoAccount[] | null> {
	const [{ n }] = await database.db.select({ n: sql<number>`count(*)` }).from(orgNodes);
	if (n > 0) return null;
	const data = generateDemoData();
	const hashes = new Map<string, string>();
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	for (const a of ACCOUNTS) hashes.set(a.login, passwordHash);
	const now = clock.now();
	const accounts = await database.write(async (tx) => {
		// Tree first, parents before children (the generator lists them in that order).
		for (const node of data.tree) {
			await insertNode(tx, { id: node.id, kind: node.kind, name: node.name, parentId: node.parentId, isDemo: true });
		}
		for (const compound of data.compounds) {
			await appendRosterVersion(tx, {
				compoundId: compound.id,
				units: compound.units,
				fileName: '演示数据-房屋清册.csv',
				actorId: null,
				isDemo: true
			});
		}
		const accounts: DemoAccount[] = [];
		for (const spec of ACCOUNTS) {
			const userId = newId();
			await tx.insert(users).values({
				id: userId,
				login: spec.login,
				displayName: spec.displayName,
				passwordHash: hashes.get(spec.login)!,
				isDemo: true,
				createdAt: now
			});
			for (const grant of spec.grants ?? []) {
				await tx.insert(roleGrants).values({ id: newId(), userId, role: grant.role, scopeId: grant.scopeId, grantedAt: now });
			}
			if (spec.person) await verifyDemoPerson(tx, userId, spec.person, data.people);
			accounts.push({ login: spec.login, displayName: spec.displayName, role: spec.role, userId });
		}
		// The gate case from concern to published agenda, debate, common ground and a meeting.
		await seedAgendaDemo(tx, Object.fromEntries(accounts.map((a) => [a.login, a.userId])));
		return accounts;
	});
	// Cases at other stages, each built through the real services so its numbers recount.
	await seedDraftingDemo(database);
	await seedRecordsDemo(database);
	await seedVotingDemo(database);
	return accounts;
}

async function verifyDemoPerson(tx: Tx, userId: string, key: DemoPersonKey, people: ReturnType<typeof generateDemoData>['people']) {
	const person = people.find((p) => p.key === key);
	if (!person) return;
	for (const unit of person.units) {
		const rows = await tx
			.select({ id: units.id })
			.from(units)
			.innerJoin(orgNodes, eq(orgNodes.id, units.buildingId))
			.where(and(eq(units.compoundId, person.compoundId), eq(orgNodes.name, unit.building), eq(units.room, unit.room)))
			.limit(1);
		if (rows.length === 0) throw new Error(`demo person ${key}: no unit ${unit.building} ${unit.room}`);
		await tx.insert(memberships).values({
			id: newId(),
			userId,
			unitId: rows[0].id,
			relation: person.relation === 'owner' ? 'owner' : 'resident',
			verifiedAt: clock.now()
		});
	}
}

export function printDemoLogins(accounts: DemoAccount[], url: string): void {
	console.log('');
	console.log('已载入演示数据（爱建 / 虹桥边门案例，全部为虚构）。演示账号（密码都是 ' + DEMO_PASSWORD + '）：');
	for (const a of accounts) console.log(`  ${a.login.padEnd(16)} ${a.role}`);
	console.log(`打开 ${url}/login 登录。`);
	console.log('');
}
