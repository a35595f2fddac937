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

/** A compound of the calling file under a 居委 of its own (below `parentId`, a 片区, or a street and 片区 of its own). */
export async function newCompound(name: string, roster: RosterUnit[], parentId?: string): Promise<OwnCompound> {
	const { id, committeeId } = await database.write(async (tx) => {
		const cluster =
			parentId ??
			(await insertNode(tx, {
				kind: 'cluster',
				name: `${name}片区`,
				parentId: await insertNode(tx, { kind: 'street', name: `${name}街道`, parentId: null })
			}));
		const committeeId = await insertNode(tx, { kind: 'committee', name: `${name}居民区`, parentId: cluster });
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
	const agendaItemId = await publishedAgendaItem(database, [compound.id], 'ordinary', title);
	const now = serverNow();
	// Lawful dates whatever day the server's clock has reached (other files move it, into 2027 too):
	// the close moves off rest days as arts. 201/203 require.
	const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), now, 15, 14);
	const { ballotId } = await voting.createBallot(database, ywh, {
		title,
		ruleKind: 'ordinary',
		agendaItemId,
		motions: [{ id: 'A', ...motion }],
		compounds: [{ compoundId: compound.id }],
		opensAt,
		closesAt
	});
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
