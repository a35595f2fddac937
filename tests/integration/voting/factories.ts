/**
 * Factories for voting service tests: compounds with a roster, owners, tenants, staff, and a
 * ballot walked to the voting window. Everything is written through database.write, as the app
 * does; time is faked through the server clock.
 */
import { eq } from 'drizzle-orm';
import { vi } from 'vitest';
import type { Actor } from '../../../src/lib/domain/access/policy.ts';
import type { RosterUnit } from '../../../src/lib/domain/roster/types.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { countedVotes, memberships, orgNodes, roleGrants, units, users } from '../../../src/lib/server/db/schema/index.ts';
import { appendRosterVersion } from '../../../src/lib/server/roster/import.ts';
import { insertNode } from '../../../src/lib/server/communities/tree.ts';
import { clock } from '../../../src/lib/server/util/clock.ts';
import { publishedAgendaItem } from '../../helpers/agenda.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { newId } from '../../../src/lib/server/util/ids.ts';
import {
	createBallot,
	openBallot,
	publishNotice,
	recordProxy,
	type CreateBallotInput,
	type RecordProxyInput
} from '../../../src/lib/server/voting/index.ts';
import { BUILT_IN_YEARS, buildCalendar } from '../../../src/lib/domain/time/calendar.ts';
import { noticePeriod } from '../../../src/lib/domain/time/ballot-periods.ts';
import { lastDayOfEnd, ruleLastDay } from '../../../src/lib/domain/time/periods.ts';

export const DAY = 24 * 3600_000;

/** Fakes the server clock; `advance` moves it forward. Restored by vi.restoreAllMocks(). */
export function fakeTime(start = Date.UTC(2026, 2, 1, 1, 0)) {
	const state = { now: start };
	vi.spyOn(clock, 'now').mockImplementation(() => state.now);
	return {
		get now() {
			return state.now;
		},
		advance(ms: number) {
			state.now += ms;
		},
		set(ms: number) {
			state.now = ms;
		}
	};
}

export type FakeTime = ReturnType<typeof fakeTime>;

/**
 * The set-up the voting and scheduler tests share, as the file's beforeEach/afterEach: before each
 * test a fresh migrated database and the fake clock, handed to `use`; after it, both undone.
 */
export function freshDatabaseForEachTest(use: (bed: { database: TestDatabase; time: FakeTime }) => unknown): void {
	databaseForEachTest((database) => use({ database, time: fakeTime() }));
}

export interface VotingBed {
	database: TestDatabase;
	time: FakeTime;
	compound: TestCompound;
	/** A member of the compound's 业委会 (owners' committee), who prepares and runs its ballots. */
	committee: TestStaff;
}

/** freshDatabaseForEachTest with a compound (newCompound's options) and one 业委会 member named `committee`. */
export function freshCompoundForEachTest(options: CompoundOptions & { committee?: string }, use: (bed: VotingBed) => unknown): void {
	freshDatabaseForEachTest(async ({ database, time }) => {
		const compound = await newCompound(database, options);
		const committee = await newStaff(database, 'owners_committee', compound.compoundId, options.committee);
		await use({ database, time, compound, committee });
	});
}

export interface UnitSpec {
	building?: string;
	room?: string;
	areaHundredths?: number;
	areaSource?: RosterUnit['areaSource'];
	status?: RosterUnit['status'];
	/** Owner name on the roster; units with the same name are one owner (one person, SPC art. 9). */
	owner?: string;
}

export interface TestUnit {
	unitId: string;
	building: string;
	room: string;
	areaHundredths: number;
	owner: string | null;
}

export interface TestCompound {
	compoundId: string;
	name: string;
	units: TestUnit[];
	/** Units not yet handed to an owner account by newOwner. */
	unclaimed: TestUnit[];
}

let serial = 0;

export interface CompoundOptions {
	units: number | UnitSpec[];
	buildings?: number;
	name?: string;
	parentId?: string | null;
}

/** A 居委 with one compound and its first roster: n units over `buildings` buildings, 50–139 ㎡. */
export async function newCompound(database: Database, options: CompoundOptions = { units: 10 }): Promise<TestCompound> {
	const name = options.name ?? `测试小区${++serial}`;
	const specs: UnitSpec[] = typeof options.units === 'number' ? Array.from({ length: options.units }, () => ({})) : options.units;
	const buildings = options.buildings ?? 2;
	const roster: RosterUnit[] = specs.map((spec, i) => {
		const status = spec.status ?? 'owned';
		return {
			building: spec.building ?? `${(i % buildings) + 1}号楼`,
			room: spec.room ?? String(101 + Math.floor(i / buildings)),
			areaHundredths: spec.areaHundredths ?? 5000 + ((i * 3700) % 9000),
			areaSource: spec.areaSource ?? 'registered',
			status,
			owners:
				status === 'owned' ? [{ name: spec.owner ?? `${name}业主${i + 1}`, idHint: spec.owner ? undefined : String(1000 + i) }] : []
		};
	});
	const compoundId = await database.write(async (tx) => {
		const parentId =
			options.parentId !== undefined
				? options.parentId
				: await insertNode(tx, { kind: 'committee', name: `${name}居委`, parentId: null });
		const id = await insertNode(tx, { kind: 'compound', name, parentId });
		await appendRosterVersion(tx, { compoundId: id, units: roster, fileName: 'test.csv', actorId: null });
		return id;
	});
	const testUnits = await unitsOf(database, compoundId, roster);
	return { compoundId, name, units: testUnits, unclaimed: [...testUnits] };
}

async function unitsOf(database: Database, compoundId: string, roster: RosterUnit[]): Promise<TestUnit[]> {
	const rows = await database.db
		.select({ unitId: units.id, room: units.room, buildingId: units.buildingId })
		.from(units)
		.where(eq(units.compoundId, compoundId));
	const buildings = new Map(
		(await database.db.select({ id: orgNodes.id, name: orgNodes.name }).from(orgNodes).where(eq(orgNodes.parentId, compoundId))).map(
			(b) => [b.id, b.name]
		)
	);
	const byKey = new Map(rows.map((r) => [`${buildings.get(r.buildingId)}|${r.room}`, r.unitId]));
	return roster.map((u) => ({
		unitId: byKey.get(`${u.building}|${u.room}`)!,
		building: u.building,
		room: u.room,
		areaHundredths: u.areaHundredths,
		owner: u.owners[0]?.name ?? null
	}));
}

/** Appends a new roster version (e.g. one unit's area corrected, one unit added) after a ballot opened. */
export async function reimportRoster(
	database: Database,
	compound: TestCompound,
	change: (units: RosterUnit[]) => RosterUnit[]
): Promise<TestCompound> {
	const current: RosterUnit[] = compound.units.map((u) => ({
		building: u.building,
		room: u.room,
		areaHundredths: u.areaHundredths,
		areaSource: 'registered',
		status: u.owner ? 'owned' : 'developer_unsold',
		owners: u.owner ? [{ name: u.owner }] : []
	}));
	const next = change(current);
	await database.write((tx) =>
		appendRosterVersion(tx, { compoundId: compound.compoundId, units: next, fileName: 'reimport.csv', actorId: null })
	);
	const testUnits = await unitsOf(database, compound.compoundId, next);
	return {
		...compound,
		units: testUnits,
		unclaimed: testUnits.filter(
			(u) => compound.unclaimed.some((c) => c.unitId === u.unitId) || !compound.units.some((c) => c.unitId === u.unitId)
		)
	};
}

export async function newUser(database: Database, name = `用户${++serial}`): Promise<string> {
	const id = newId();
	await database.write((tx) =>
		tx.insert(users).values({ id, login: `u${id}`, displayName: name, passwordHash: 'x', createdAt: clock.now() })
	);
	return id;
}

export interface TestOwner {
	userId: string;
	actor: Actor;
	units: TestUnit[];
}

async function addMemberships(database: Database, userId: string, unitIds: string[], relation: 'owner' | 'resident'): Promise<void> {
	await database.write((tx) =>
		tx.insert(memberships).values(unitIds.map((unitId) => ({ id: newId(), userId, unitId, relation, verifiedAt: clock.now() })))
	);
}

/**
 * A verified owner account for `units` unclaimed units of the compound (or the given ones, e.g.
 * a co-owner of an already claimed unit).
 */
export async function newOwner(
	database: Database,
	compound: TestCompound,
	options: { units?: number; unitIds?: string[]; name?: string } = {}
): Promise<TestOwner> {
	const chosen = options.unitIds
		? compound.units.filter((u) => options.unitIds!.includes(u.unitId))
		: compound.unclaimed.splice(0, options.units ?? 1);
	if (chosen.length === 0) throw new Error('newOwner: no unit left to claim');
	const userId = await newUser(database, options.name);
	await addMemberships(
		database,
		userId,
		chosen.map((u) => u.unitId),
		'owner'
	);
	return { userId, actor: await loadActor(database, userId), units: chosen };
}

/** A verified tenant (居民/使用人) of one unit: takes part in discussion, never in owners' ballots. */
export async function newTenant(database: Database, compound: TestCompound): Promise<TestOwner> {
	const unit = compound.units[compound.units.length - 1];
	const userId = await newUser(database, '租户');
	await addMemberships(database, userId, [unit.unitId], 'resident');
	return { userId, actor: await loadActor(database, userId), units: [unit] };
}

/** A staff account holding `role` over `scopeId` (an org node), e.g. a compound's 业委会 member. */
export interface TestStaff {
	userId: string;
	actor: Actor;
}

export async function newStaff(
	database: Database,
	role: (typeof roleGrants.$inferInsert)['role'],
	scopeId: string | null,
	name?: string
): Promise<TestStaff> {
	const userId = await newUser(database, name ?? `${role}${serial}`);
	await database.write((tx) => tx.insert(roleGrants).values({ id: newId(), userId, role, scopeId, grantedAt: clock.now() }));
	return { userId, actor: await loadActor(database, userId) };
}

export type BallotOptions = Partial<Omit<CreateBallotInput, 'compounds' | 'opensAt' | 'closesAt'>> & {
	nonVoterRule?: Record<string, 'off' | 'follow_majority'>;
	windowDays?: number;
};

/**
 * Creates a ballot for the compounds, publishes its notice, moves the clock to the opening and
 * opens it (freezing the electorate). Returns with the clock inside the voting window.
 */
export async function newOpenBallot(
	database: Database,
	time: ReturnType<typeof fakeTime>,
	manager: Actor,
	compounds: TestCompound[],
	options: BallotOptions = {}
): Promise<{ ballotId: string; opensAt: number; closesAt: number }> {
	const { ballotId, opensAt, closesAt } = await newNoticedBallot(database, time, manager, compounds, options);
	time.set(opensAt + 3600_000);
	await openBallot(database, manager, { ballotId });
	return { ballotId, opensAt, closesAt };
}

/**
 * An open ballot of the bed's compound with a 委托书 the committee recorded: `proxyUserId` stands for
 * 王阿姨 on `unitIds`, bound by `instructions`.
 */
export async function newOpenBallotWithProxy(
	{ database, time, compound, committee }: VotingBed,
	letter: Pick<RecordProxyInput, 'unitIds' | 'proxyUserId' | 'instructions'>
): Promise<{ ballotId: string; closesAt: number; proxyId: string }> {
	const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
	const { proxyId } = await recordProxy(database, committee.actor, { ballotId, principalName: '王阿姨', ...letter });
	return { ballotId, closesAt, proxyId };
}

export async function newNoticedBallot(
	database: Database,
	time: ReturnType<typeof fakeTime>,
	manager: Actor,
	compounds: TestCompound[],
	options: BallotOptions = {}
): Promise<{ ballotId: string; opensAt: number; closesAt: number }> {
	const noticeDays = options.noticeDays ?? 15;
	// Valid under the period rules whatever the fake date: open an hour after the notice period,
	// close at the same hour on the window's last day, moved past rest days (民法典 art. 203).
	const calendar = buildCalendar(BUILT_IN_YEARS);
	const opensAt = Math.max(time.now + noticeDays * DAY + DAY, noticePeriod(calendar, time.now, noticeDays).endsAt + 3600_000);
	const nominalClose = opensAt + (options.windowDays ?? 14) * DAY;
	const end = ruleLastDay(calendar, lastDayOfEnd(nominalClose));
	const closesAt = nominalClose + (end.lastDay - end.nominalLastDay) * DAY;
	const { ballotId } = await createBallot(database, manager, {
		title: options.title ?? '侧门改造方案表决',
		ruleKind: options.ruleKind ?? 'major',
		motions: options.motions ?? [
			{ id: 'A', title: '方案A 全天开放' },
			{ id: 'B', title: '方案B 6:00–22:00 开放并改造共享空间' },
			{ id: 'C', title: '方案C 保持关闭' }
		],
		compounds: compounds.map((c) => ({ compoundId: c.compoundId, nonVoterRule: options.nonVoterRule?.[c.compoundId] })),
		bothChannelsRule: options.bothChannelsRule,
		countsVisibility: options.countsVisibility,
		allowChange: options.allowChange,
		agendaItemId:
			options.agendaItemId ??
			(await publishedAgendaItem(
				database,
				compounds.map((c) => c.compoundId),
				options.ruleKind ?? 'major'
			)),
		noticeDays,
		opensAt,
		closesAt
	});
	await publishNotice(database, manager, { ballotId });
	return { ballotId, opensAt, closesAt };
}

export const ALL_YES = { A: 'yes', B: 'yes', C: 'yes' };
export const CHOICES_1 = { A: 'no', B: 'yes', C: 'abstain' };

/** Counted rows for a ballot, straight from the table whose key enforces one per unit, motion and channel. */
export async function countedRows(database: Database, ballotId: string) {
	return database.db.select().from(countedVotes).where(eq(countedVotes.ballotId, ballotId));
}
