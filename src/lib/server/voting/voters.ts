/**
 * Who may vote for a unit is fixed while a ballot is open (本次表决的投票人).
 *
 * Opening a ballot copies, next to the frozen roster, each unit's verified owner accounts into
 * electorate_voters. A unit nobody had verified at opening gets its voter from its first
 * verification during the ballot. Any later claim — a reissued letter (补发核验信), a second account —
 * counts from the next ballot on: the frozen voter keeps the vote, and nobody can silently replace
 * a counted vote by issuing a new letter while the vote runs.
 *
 * A unit with no row at all (no verified owner at opening, and no claim through a letter since,
 * e.g. an owner bound by an administrator) falls back to its current verified owners.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Database, Tx } from '../db/client.ts';
import { electorateUnits, electorateVoters, memberships } from '../db/schema/index.ts';
import { m as msg } from '../../paraglide/messages.js';

/** Why this account cannot vote for a unit whose owner was fixed when the ballot opened (in the reader's language). */
export function frozenOutMessage(): string {
	return msg.voting_frozen_out();
}

/** At opening, in the opening write: every unit's verified owner accounts become its voters. */
export async function freezeVoters(tx: Tx, ballotId: string, at: number): Promise<void> {
	await tx.run(sql`
		INSERT INTO ${electorateVoters} (ballot_id, unit_id, user_id, basis, added_at)
		SELECT ${ballotId}, m.unit_id, m.user_id, 'opening', ${at}
		FROM ${memberships} m JOIN ${electorateUnits} e ON e.ballot_id = ${ballotId} AND e.unit_id = m.unit_id
		WHERE m.relation = 'owner' AND m.revoked_at IS NULL`);
}

/**
 * In the claim's write: for every open ballot whose frozen electorate holds the unit and which has
 * no voter for it yet, the unit's voters become its owners verified before this claim, or — when
 * there are none — the claimant. Later claims then find the unit's voters fixed.
 */
export async function registerFirstClaim(tx: Tx, claim: { userId: string; unitId: string; at: number }): Promise<void> {
	const open = await tx.all<{ ballot_id: string }>(sql`
		SELECT e.ballot_id FROM electorate_units e JOIN ballots b ON b.id = e.ballot_id
		WHERE e.unit_id = ${claim.unitId} AND b.opened_at IS NOT NULL AND b.closed_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM electorate_voters v WHERE v.ballot_id = e.ballot_id AND v.unit_id = e.unit_id)`);
	if (open.length === 0) return;
	const earlier = await tx
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(and(eq(memberships.unitId, claim.unitId), eq(memberships.relation, 'owner'), isNull(memberships.revokedAt)));
	const others = earlier.map((m) => m.userId).filter((id) => id !== claim.userId);
	const voters = others.length > 0 ? others : [claim.userId];
	for (const { ballot_id: ballotId } of open) {
		await tx
			.insert(electorateVoters)
			.values(
				voters.map((userId) => ({
					ballotId,
					unitId: claim.unitId,
					userId,
					basis: others.length > 0 ? ('opening' as const) : ('first_claim' as const),
					addedAt: claim.at
				}))
			)
			.onConflictDoNothing();
	}
}

export interface VoterStanding {
	/** The actor's owned units in the ballot whose vote belongs to someone else in this ballot. */
	frozenOut: { unitId: string; label: string }[];
	/**
	 * The actor's owned units in the ballot they do vote for (fixed to them as its voter, or with no voter fixed): what
	 * a cast of "all my units" records, in the order of their memberships. The page's check step lists them.
	 */
	voting: { unitId: string; label: string }[];
	/** What /vote says about them, or null when the actor votes for all their units. */
	message: string | null;
}

/** Per owned unit in the ballot's electorate: how many accounts were fixed as its voters, and whether the actor is one. */
const STANDING_SQL = `SELECT e.unit_id, e.building_name, e.room, count(v.user_id) AS voters, coalesce(max(v.user_id = ?1), 0) AS mine
	FROM electorate_units e LEFT JOIN electorate_voters v ON v.ballot_id = e.ballot_id AND v.unit_id = e.unit_id AND v.ended_at IS NULL
	WHERE e.ballot_id = ?2 AND e.unit_id IN (SELECT value FROM json_each(?3))
	GROUP BY e.unit_id, e.building_name, e.room`;

/**
 * For the ballot page: which of the actor's units they cannot vote for in this ballot, and why, and which they
 * vote for (the same split as a cast's `votableUnits` in electronic.ts: a unit whose vote is fixed to another account
 * is out).
 */
export async function voterStanding(database: Database, actor: Actor, ballotId: string): Promise<VoterStanding> {
	const owned = actor.memberships.filter((m) => m.relation === 'owner').map((m) => m.unitId);
	if (owned.length === 0) return { frozenOut: [], voting: [], message: null };
	// Raw SQL through the client (its statement is kept per connection): no query is built per page load.
	const result = await database.client.execute({ sql: STANDING_SQL, args: [actor.userId, ballotId, JSON.stringify(owned)] });
	const rows = new Map(
		(result.rows as unknown as { unit_id: string; building_name: string; room: string; voters: number; mine: number }[]).map((r) => [
			r.unit_id,
			{ unitId: r.unit_id, label: `${r.building_name} ${r.room}`, out: Number(r.voters) > 0 && !Number(r.mine) }
		])
	);
	const inBallot = [...new Set(owned)].flatMap((id) => rows.get(id) ?? []);
	const frozenOut = inBallot.filter((u) => u.out).map(({ unitId, label }) => ({ unitId, label }));
	const voting = inBallot.filter((u) => !u.out).map(({ unitId, label }) => ({ unitId, label }));
	return { frozenOut, voting, message: frozenOut.length > 0 ? frozenOutMessage() : null };
}
