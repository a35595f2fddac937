/**
 * Service-level seeding for the browser walks: the e2e server's database file opened in this
 * process, on the server's test clock (YISHI_TEST_CLOCK_FILE, set before any server module loads),
 * so a file makes its own rows through the app's own services instead of leaning on demo rows that
 * another file may change.
 */
import { afterAll, inject } from 'vitest';
import { advanceServerClock, serverNow } from './browser.ts';

process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const { openDatabase } = await import('../../src/lib/server/db/client.ts');
const voting = await import('../../src/lib/server/voting/index.ts');
const verification = await import('../../src/lib/server/communities/verification.ts');
const { loadActor } = await import('../../src/lib/server/access.ts');
const schema = await import('../../src/lib/server/db/schema/index.ts');
const { publishedAgendaItem } = await import('../helpers/agenda.ts');
const agenda = await import('../../src/lib/server/agenda/index.ts');
const drafting = await import('../../src/lib/server/drafting/index.ts');
const records = await import('../../src/lib/server/records/index.ts');
const { chinaDateString } = await import('../../src/lib/domain/records/index.ts');
const { eq } = await import('drizzle-orm');
const { lawfulSchedule } = await import('../../src/lib/domain/time/ballot-periods.ts');
const { loadCalendar } = await import('../../src/lib/server/scheduler/calendar.ts');

export const DAY = 24 * 3600_000;

/** The server's database; closed after the calling file's tests. */
export const database = openDatabase(inject('databaseUrl'));
afterAll(() => database.close());

const { insertNode } = await import('../../src/lib/server/communities/tree.ts');
const { appendRosterVersion } = await import('../../src/lib/server/roster/import.ts');
const { newId } = await import('../../src/lib/server/util/ids.ts');
const { clock } = await import('../../src/lib/server/util/clock.ts');
const { hashPassword } = await import('../../src/lib/server/auth/passwords.ts');
type RosterUnit = import('../../src/lib/domain/roster/types.ts').RosterUnit;
type Role = import('../../src/lib/domain/access/policy.ts').Role;
type Actor = import('../../src/lib/domain/access/policy.ts').Actor;

/** An account made for the calling file, signed in with `signInContext` or `phoneAs` (session.ts). */
export interface Account {
	id: string;
	login: string;
	name: string;
}

/**
 * A fresh account with its role grants and verified units (`owns`, `livesIn`: unit ids), written as
 * the services write them. Its login is unique (`e2e_` and a new id); the `name` shows on the pages.
 * It has no usable password unless `password` is given (for the walks whose subject is a login form).
 */
export async function newAccount(
	name: string,
	options: { grants?: { role: Role; scopeId: string | null }[]; owns?: string[]; livesIn?: string[]; password?: string } = {}
): Promise<Account> {
	const id = newId();
	const login = `e2e_${id}`;
	const passwordHash = options.password ? await hashPassword(options.password) : 'x';
	await database.write(async (tx) => {
		const now = clock.now();
		await tx.insert(schema.users).values({ id, login, displayName: name, passwordHash, createdAt: now });
		for (const g of options.grants ?? [])
			await tx.insert(schema.roleGrants).values({ id: newId(), userId: id, role: g.role, scopeId: g.scopeId, grantedAt: now });
		for (const [relation, unitIds] of [
			['owner', options.owns ?? []],
			['resident', options.livesIn ?? []]
		] as const)
			for (const unitId of unitIds)
				await tx.insert(schema.memberships).values({ id: newId(), userId: id, unitId, relation, verifiedAt: now });
	});
	return { id, login, name };
}

/** `n` owned units over two buildings (1号楼, 2号楼; rooms 101, 102 …), 80–90 ㎡, owners named after `tag`. */
export function rosterOf(n: number, tag: string): RosterUnit[] {
	return Array.from({ length: n }, (_, i) => ({
		building: `${(i % 2) + 1}号楼`,
		room: String(101 + Math.floor(i / 2)),
		areaHundredths: 8000 + i * 37,
		areaSource: 'registered' as const,
		status: 'owned' as const,
		owners: [{ name: `${tag}业主${i + 1}` }]
	}));
}

export interface OwnCompound {
	id: string;
	name: string;
	committeeId: string;
	/** Unit ids in roster order. */
	units: string[];
	/** The same units with their building and room, as the forms name them. */
	rooms: { unitId: string; buildingName: string; room: string }[];
}

/**
 * A compound of the calling file under a 居委 of its own (below `parent`, a 片区 id, or a street and
 * 片区 of its own), or under an existing 居委 of the file (`{ committeeId }`), as 仙霞 sits with 虹桥.
 */
export async function newCompound(name: string, roster: RosterUnit[], parent?: string | { committeeId: string }): Promise<OwnCompound> {
	const { id, committeeId } = await database.write(async (tx) => {
		const inCluster = async (cluster: string) => insertNode(tx, { kind: 'committee', name: `${name}居民区`, parentId: cluster });
		const committeeId =
			typeof parent === 'object'
				? parent.committeeId
				: await inCluster(
						parent ??
							(await insertNode(tx, {
								kind: 'cluster',
								name: `${name}片区`,
								parentId: await insertNode(tx, { kind: 'street', name: `${name}街道`, parentId: null })
							}))
					);
		const id = await insertNode(tx, { kind: 'compound', name, parentId: committeeId });
		await appendRosterVersion(tx, { compoundId: id, units: roster, fileName: 'seed.csv', actorId: null });
		return { id, committeeId };
	});
	const rows = await database.db
		.select({ id: schema.units.id, room: schema.units.room, building: schema.orgNodes.name })
		.from(schema.units)
		.innerJoin(schema.orgNodes, eq(schema.units.buildingId, schema.orgNodes.id))
		.where(eq(schema.units.compoundId, id));
	const byKey = new Map(rows.map((r) => [`${r.building}|${r.room}`, r.id]));
	const rooms = roster.map((u) => ({ unitId: byKey.get(`${u.building}|${u.room}`)!, buildingName: u.building, room: u.room }));
	return { id, name, committeeId, units: rooms.map((r) => r.unitId), rooms };
}

/** A street and 片区 of the calling file (names after `tag`), for compounds that deliberate together. */
export async function newCluster(tag: string): Promise<{ streetId: string; clusterId: string }> {
	return database.write(async (tx) => {
		const streetId = await insertNode(tx, { kind: 'street', name: `${tag}街道`, parentId: null });
		const clusterId = await insertNode(tx, { kind: 'cluster', name: `${tag}片区`, parentId: streetId });
		return { streetId, clusterId };
	});
}

/** A demo account (`aijian_owner` …) as an Account, for walks that only read the demo's own data. */
export async function demoAccount(login: string): Promise<Account> {
	const [user] = await database.db
		.select({ id: schema.users.id, login: schema.users.login, name: schema.users.displayName })
		.from(schema.users)
		.where(eq(schema.users.login, login));
	return user;
}

/**
 * A ballot of `compoundIds` made by `manager` (ballot.manage over them) on a published agenda item of
 * its `title`, one motion A, with lawful dates from `start` — whatever day the clock has reached
 * (other files move it, into 2027 too): the close moves off rest days as arts. 201/203 require.
 */
export async function newBallot(
	manager: Actor,
	compoundIds: string[],
	title: string,
	motion: { title: string; text?: string },
	start: number,
	windowDays: number
): Promise<{ ballotId: string; opensAt: number; closesAt: number }> {
	const agendaItemId = await publishedAgendaItem(database, compoundIds, 'ordinary', title);
	const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), start, 15, windowDays);
	const { ballotId } = await voting.createBallot(database, manager, {
		title,
		ruleKind: 'ordinary',
		agendaItemId,
		motions: [{ id: 'A', ...motion }],
		compounds: compoundIds.map((compoundId) => ({ compoundId })),
		opensAt,
		closesAt
	});
	return { ballotId, opensAt, closesAt };
}

/**
 * A vote of its own for the calling file, in a compound of its own (`compoundName`, six owned flats,
 * a 业委会 member who runs it), opened (the server clock moves past its notice period), with a
 * letter code for one owned unit that no account has claimed.
 */
export async function openOwnVote(
	compoundName: string,
	title: string,
	motion: { title: string; text?: string }
): Promise<{ ballotId: string; unit: typeof schema.electorateUnits.$inferSelect; code: string }> {
	const compound = await newCompound(compoundName, rosterOf(6, compoundName));
	const member = await newAccount(`${compoundName}业委会`, { grants: [{ role: 'owners_committee', scopeId: compound.id }] });
	const ywh = await loadActor(database, member.id);
	const now = serverNow();
	const { ballotId, opensAt } = await newBallot(ywh, [compound.id], title, motion, now, 14);
	await voting.publishNotice(database, ywh, { ballotId });
	advanceServerClock(opensAt - now + 3600_000);
	await voting.openBallot(database, ywh, { ballotId });
	const electorate = await database.db.select().from(schema.electorateUnits).where(eq(schema.electorateUnits.ballotId, ballotId));
	const unit = electorate.find((u) => u.status === 'owned')!;
	const [issued] = await verification.issueCodes(database, ywh, compound.id, [unit.unitId]);
	return { ballotId, unit, code: issued.code };
}

/**
 * A deliberation case of the calling file, as the demo's gate case is: two compounds (`${tag}爱建小区`,
 * `${tag}虹桥小区`) under two 居委 of one 片区, a session of both with its facilitator, and one owner on
 * each side (named as the demo's 张三 and 李四); `newDraft` makes a draft set of the session.
 */
export async function newDraftingCase(tag: string) {
	const { clusterId } = await newCluster(tag);
	const aijian = await newCompound(`${tag}爱建小区`, rosterOf(4, `${tag}爱建`), clusterId);
	const hongqiao = await newCompound(`${tag}虹桥小区`, rosterOf(4, `${tag}虹桥`), clusterId);
	const coordinator = await newAccount(`${tag}片区协调人`, { grants: [{ role: 'cluster_coordinator', scopeId: clusterId }] });
	const facilitator = await newAccount(`${tag}主持人`);
	const zhang = await newAccount('张三（爱建业主）', { owns: [aijian.units[0]] });
	const li = await newAccount('李四（虹桥业主）', { owns: [hongqiao.units[0]] });
	const compoundIds = [aijian.id, hongqiao.id];
	const { sessionId } = await agenda.createSession(database, await loadActor(database, coordinator.id), {
		title: `${tag}边门协商会`,
		kind: 'coordination',
		compoundIds,
		facilitatorLogin: facilitator.login
	});
	const newDraft = async (title: string, alternatives: { title: string }[]) =>
		drafting.createDraft(database, await loadActor(database, facilitator.id), { title, compoundIds, sessionId, alternatives });
	return { aijian, hongqiao, sessionId, facilitator, zhang, li, newDraft };
}

/** The demo's roles (DOMAIN.md §6), one account each, as `newCast` makes them for the calling file. */
export const CAST_ROLES = [
	'aijian_owner',
	'hongqiao_owner',
	'xianxia_owner',
	'tenant',
	'aijian_ywh',
	'hongqiao_ywh',
	'hongqiao_ywh2',
	'scrutineer',
	'juwei',
	'pianqu',
	'facilitator',
	'admin'
] as const;
export type CastRole = (typeof CAST_ROLES)[number];

/**
 * The demo's shape, of the calling file's own: a street and 片区 (`${tag}街道`, `${tag}片区`), 爱建
 * and 虹桥 under two 居委 of it, 仙霞 under 虹桥's 居委, and one account per demo role with the
 * demo's grants and homes — 张三 owns two 爱建 flats, the tenant rents a third, each 业委会 member
 * owns a flat of their compound, the 居委 worker serves both 居委, the 片区 coordinator and the
 * scrutineer the 片区, and an administrator of the installation. The facilitator has no grant until
 * a session names them. `password` (the same for all) lets them use the login form too.
 */
export async function newCast(tag: string, options: { password?: string } = {}) {
	const { streetId, clusterId } = await newCluster(tag);
	const aijian = await newCompound(`${tag}爱建小区`, rosterOf(10, `${tag}爱建`), clusterId);
	const hongqiao = await newCompound(`${tag}虹桥小区`, rosterOf(12, `${tag}虹桥`), clusterId);
	const xianxia = await newCompound(`${tag}仙霞小区`, rosterOf(6, `${tag}仙霞`), { committeeId: hongqiao.committeeId });
	const { password } = options;
	const spec: Record<CastRole, [string, Parameters<typeof newAccount>[1]]> = {
		aijian_owner: ['张三（爱建业主）', { owns: aijian.units.slice(0, 2) }],
		hongqiao_owner: ['李四（虹桥业主）', { owns: [hongqiao.units[0]] }],
		xianxia_owner: ['王五（仙霞业主）', { owns: [xianxia.units[0]] }],
		tenant: ['赵六（租户）', { livesIn: [aijian.units[2]] }],
		aijian_ywh: ['孙七（爱建业委会）', { owns: [aijian.units[3]], grants: [{ role: 'owners_committee', scopeId: aijian.id }] }],
		hongqiao_ywh: ['周八（虹桥业委会）', { owns: [hongqiao.units[1]], grants: [{ role: 'owners_committee', scopeId: hongqiao.id }] }],
		hongqiao_ywh2: ['吴九（虹桥业委会）', { owns: [hongqiao.units[2]], grants: [{ role: 'owners_committee', scopeId: hongqiao.id }] }],
		juwei: [
			'郑老师（居委）',
			{
				grants: [
					{ role: 'committee_staff', scopeId: aijian.committeeId },
					{ role: 'committee_staff', scopeId: hongqiao.committeeId }
				]
			}
		],
		pianqu: ['冯主任（片区）', { grants: [{ role: 'cluster_coordinator', scopeId: clusterId }] }],
		facilitator: ['陈老师（高校团队）', {}],
		scrutineer: ['褚监票', { grants: [{ role: 'scrutineer', scopeId: clusterId }] }],
		admin: ['管理员', { grants: [{ role: 'admin', scopeId: null }] }]
	};
	const made = await Promise.all(
		CAST_ROLES.map(async (role) => [role, await newAccount(spec[role][0], { ...spec[role][1], password })] as const)
	);
	return { streetId, clusterId, aijian, hongqiao, xianxia, people: Object.fromEntries(made) as Record<CastRole, Account> };
}

/**
 * A decision of the calling file's `compound` published "months ago" and followed through, as the
 * demo's lift decision is: a ballot run by the 业委会 member `ywh` (notice, opening, close, signed
 * count), a preliminary record published by `publisher`, an objection of `objector` and its answer,
 * the final record and one follow-up task. Made on this process's clock moved back (the server's
 * clock file is not touched).
 */
export async function newPublishedRecord(
	compound: OwnCompound,
	people: { ywh: Account; publisher: Account; objector: Account },
	title: string
): Promise<{ prelimId: string; finalId: string; objectionId: string; taskId: string }> {
	const [ywh, publisher, objector] = await Promise.all(
		[people.ywh, people.publisher, people.objector].map((a) => loadActor(database, a.id))
	);
	const realNow = clock.now;
	const start = realNow() - 150 * DAY;
	let t = start;
	clock.now = () => t;
	try {
		const { ballotId, opensAt, closesAt } = await newBallot(ywh, [compound.id], title, { title: '同意' }, start, 10);
		await voting.publishNotice(database, ywh, { ballotId });
		t = opensAt + 3600_000;
		await voting.openBallot(database, ywh, { ballotId });
		t = closesAt + 2 * 3600_000;
		await voting.closeBallot(database, ywh, { ballotId });
		await records.signCount(database, ywh, { ballotId, compoundId: compound.id, unitVotes: 'masked' });
		t = closesAt + DAY;
		const { recordId, disputeEndsAt } = await records.publishPreliminaryRecord(database, publisher, { ballotId });
		t += DAY;
		const { objectionId } = await records.fileObjection(database, objector, { recordId, text: '施工期间的消防通道怎么保证？' });
		t += DAY;
		await records.answerObjection(database, publisher, { objectionId, text: '另设临时消防通道，设计图张贴在门厅。' });
		t = disputeEndsAt + DAY;
		const final = await records.finaliseRecord(database, publisher, { recordId });
		t += DAY;
		const { taskId } = await records.createTask(database, publisher, {
			itemId: recordId,
			title: '施工图审查与规划公示',
			organisation: `${compound.name}业主委员会`,
			dueDate: chinaDateString(t + 30 * DAY)
		});
		return { prelimId: recordId, finalId: final.recordId, objectionId, taskId };
	} finally {
		clock.now = realNow;
	}
}

/**
 * A session of the calling file in its 协商 phase, as `organiser` (agenda.manage over `compoundIds`)
 * runs it: made with `facilitatorLogin` as its facilitator, convened by `convenorId` (a 居委 the
 * organiser serves, who signs the agenda off), one agenda item, the agenda published, debate open.
 */
export async function newDeliberation(
	organiser: Account,
	input: {
		title: string;
		compoundIds: string[];
		convenorId: string;
		facilitatorLogin?: string;
		item: { title: string; question: string };
	}
): Promise<{ sessionId: string; itemId: string }> {
	const actor = await loadActor(database, organiser.id);
	const { sessionId } = await agenda.createSession(database, actor, {
		title: input.title,
		kind: 'coordination',
		compoundIds: input.compoundIds,
		facilitatorLogin: input.facilitatorLogin
	});
	await agenda.addConvenor(database, actor, sessionId, input.convenorId);
	const { itemId } = await agenda.addAgendaItem(database, actor, sessionId, { ...input.item, rule: 'ordinary' });
	await agenda.signOffAgenda(database, actor, sessionId, input.convenorId);
	await agenda.publishAgenda(database, actor, sessionId);
	await agenda.advancePhase(database, actor, sessionId, 'deliberation');
	return { sessionId, itemId };
}
