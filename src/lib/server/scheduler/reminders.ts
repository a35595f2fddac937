/**
 * 催票: reminders to owners who have not voted, and for 扫楼 (going door to door) a printable list
 * per building of the units that have not voted yet — which units, never how anyone voted.
 */
import { and, asc, eq, inArray, isNull, notExists } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { formatDateTime } from '../../domain/time/china-date.ts';
import { requireAccess } from '../access.ts';
import { remind } from '../notifications/inbox.ts';
import type { Database } from '../db/client.ts';
import { countedVotes, electorateUnits, memberships } from '../db/schema/index.ts';
import { loadBallot, scopesOf } from '../voting/common.ts';
import { ELECTORATE_UNIT_PLACE } from '../voting/queries.ts';
import { clock } from '../util/clock.ts';
import { cachedElectorate } from '../voting/live-cache.ts';

/** Electorate units of the ballot with no counted vote in either channel. */
async function unvotedUnits(database: Database, ballotId: string) {
	return database.db
		.select(ELECTORATE_UNIT_PLACE)
		.from(electorateUnits)
		.where(
			and(
				eq(electorateUnits.ballotId, ballotId),
				notExists(
					database.db
						.select({ one: countedVotes.unitId })
						.from(countedVotes)
						.where(and(eq(countedVotes.ballotId, ballotId), eq(countedVotes.unitId, electorateUnits.unitId)))
				)
			)
		)
		.orderBy(asc(electorateUnits.compoundId), asc(electorateUnits.buildingName), asc(electorateUnits.room));
}

/**
 * Reminds each verified owner with a unit that has not voted, `days` days before the close. Once per
 * owner, ballot and reminder (the notification's dedupe key), however often the scheduler runs.
 */
export async function remindNonVoters(database: Database, ballotId: string, days: number): Promise<number> {
	const ballot = await loadBallot(database.db, ballotId);
	const units = await unvotedUnits(database, ballotId);
	if (units.length === 0) return 0;
	const owners = await database.db
		.selectDistinct({ userId: memberships.userId })
		.from(memberships)
		.where(
			and(
				inArray(
					memberships.unitId,
					units.map((u) => u.unitId)
				),
				eq(memberships.relation, 'owner'),
				isNull(memberships.revokedAt)
			)
		);
	if (owners.length === 0) return 0;
	return database.write((tx) =>
		remind(
			tx,
			owners.map((o) => o.userId),
			[],
			{
				kind: 'ballot.reminder',
				title: `“${ballot.title}”还有 ${days} 天截止，您还没有投票`,
				body: `投票截止时间：${formatDateTime(ballot.closesAt)}。如需纸质表决票，请联系业委会。`,
				href: `/vote/${ballotId}`,
				dedupeKey: `ballot-reminder-${days}d:${ballotId}`
			}
		)
	);
}

export interface UnvotedBuilding {
	compoundName: string;
	buildingName: string;
	/** compoundId|buildingName: names repeat across compounds. */
	key: string;
	count: number;
	/** Empty while the list only offers the buildings to choose from. */
	rooms: string[];
}

/** Up to this many unvoted rooms the list shows them all at once; above, one building at a time. */
export const UNVOTED_ALL_ROOMS_UP_TO = 2_000;

/**
 * 扫楼清单: per building, the rooms that have not voted yet (no choices). For those who watch the count. The rooms come
 * from the frozen electorate each process keeps (already in compound, building, room order); each load only reads
 * which units have voted, not the 20,000-row electorate again. A large compound is listed one building at a time
 * (`building` = its key): 20,000 rooms on one page cost more than any other page to send and print.
 */
export async function unvotedByBuilding(
	database: Database,
	actor: Actor,
	ballotId: string,
	building: string | null = null,
	allRoomsUpTo = UNVOTED_ALL_ROOMS_UP_TO
): Promise<{ title: string; closesAt: number; asOf: number; mode: 'all' | 'pick' | 'one'; buildings: UnvotedBuilding[] }> {
	const ballot = await loadBallot(database.db, ballotId);
	requireAccess(actor, 'count.watch', { compounds: await scopesOf(database, ballot) });
	const names = new Map(ballot.compounds.map((c) => [c.compoundId, c.name]));
	const buildings = new Map<string, UnvotedBuilding>();
	// Before the opening there is no electorate (and none may be cached).
	const [electorate, counted] =
		ballot.openedAt === null
			? [[], []]
			: await Promise.all([
					cachedElectorate(database.db, ballotId),
					database.db
						.selectDistinct({ unitId: countedVotes.unitId })
						.from(countedVotes)
						.where(eq(countedVotes.ballotId, ballotId))
				]);
	const voted = new Set(counted.map((c) => c.unitId));
	let total = 0;
	for (const u of electorate) {
		if (voted.has(u.unitId)) continue;
		const key = `${u.compoundId}|${u.buildingName}`;
		let entry = buildings.get(key);
		if (!entry)
			buildings.set(
				key,
				(entry = { compoundName: names.get(u.compoundId) ?? '', buildingName: u.buildingName, key, count: 0, rooms: [] })
			);
		entry.count++;
		total++;
		if (building === null || building === key) entry.rooms.push(u.room);
	}
	const head = { title: ballot.title, closesAt: ballot.closesAt, asOf: clock.now() };
	if (building !== null) return { ...head, mode: 'one', buildings: [...buildings.values()].filter((b) => b.key === building) };
	if (total <= allRoomsUpTo) return { ...head, mode: 'all', buildings: [...buildings.values()] };
	return { ...head, mode: 'pick', buildings: [...buildings.values()].map((b) => ({ ...b, rooms: [] })) };
}
