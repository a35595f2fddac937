/**
 * Voting's SQL for the writes that count a ballot (immich-style repository): one way to write each row,
 * through drizzle's public API on the write queue's transaction. The services decide; this module only
 * reads and writes rows.
 *
 * Invariant kept here: counted_votes is filled from the cast_votes rows just appended (found by ballot,
 * unit and source through cast_votes_ballot_unit), so a counted row always points at a cast row, and its
 * primary key — not a check in code — allows one counted ballot per unit, motion and channel. cast_votes
 * itself is append-only (migration 0016): a changed vote is a new row.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Choice } from '../../domain/voting/index.ts';
import type { Tx } from '../db/client.ts';
import { castVotes, electronicSubmissions } from '../db/schema/index.ts';

const inList = (values: string[]): SQL =>
	sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	);

export interface CastState {
	closedAt: number | null;
	openedAt: number | null;
	closesAt: number;
	/** Units of these that already have a counted electronic ballot (only asked where a change is allowed). */
	countedBefore: number;
	/** Units of these whose voters are fixed for this ballot and do not include the voter (only asked for an owner's own cast). */
	frozenOut: number;
}

/**
 * Re-read inside the write, in one statement: the window (the check before queueing may be stale by now),
 * whether these units already have a counted electronic ballot, and whether an owner change confirmed
 * meanwhile took a unit's vote from this voter.
 */
export async function readCastState(
	tx: Tx,
	q: { ballotId: string; unitIds: string[]; voterUserId: string; countedBefore: boolean; frozenOut: boolean }
): Promise<CastState> {
	const units = inList(q.unitIds);
	const countedBefore = q.countedBefore
		? sql`(SELECT count(*) FROM counted_votes WHERE ballot_id = ${q.ballotId} AND channel = 'electronic' AND unit_id IN (${units}))`
		: sql`0`;
	const frozenOut = q.frozenOut
		? sql`(SELECT count(*) FROM (SELECT unit_id FROM electorate_voters WHERE ballot_id = ${q.ballotId} AND unit_id IN (${units})
			AND ended_at IS NULL GROUP BY unit_id HAVING max(user_id = ${q.voterUserId}) = 0))`
		: sql`0`;
	type Row = { closed_at: number | null; opened_at: number | null; closes_at: number; counted_before: number; frozen_out: number };
	const rows = await tx.all<Row>(
		sql`SELECT closed_at, opened_at, closes_at, ${countedBefore} AS counted_before, ${frozenOut} AS frozen_out
			FROM ballots WHERE id = ${q.ballotId}`
	);
	const row = rows[0];
	return {
		closedAt: row.closed_at === null ? null : Number(row.closed_at),
		openedAt: row.opened_at === null ? null : Number(row.opened_at),
		closesAt: Number(row.closes_at),
		countedBefore: Number(row.counted_before),
		frozenOut: Number(row.frozen_out)
	};
}

/** One ballot cast for some units, every motion: what appendCast writes. */
export interface CastRows {
	ballotId: string;
	channel: 'electronic' | 'paper';
	units: { unitId: string; compoundId: string }[];
	choices: Map<string, Choice>;
	/** Electronic: the account that cast it (owner or 受托人). Paper: null (the signer is the unit's owner or their proxy). */
	voterUserId: string | null;
	/** The 委托书 it was cast under, or null. */
	proxyId: string | null;
	/** electronic_submissions.id, or paper_entries.id of the confirming (second) entry. */
	sourceId: string;
	at: number;
}

/** 网上投票: the submission row that carries the receipt (its unique index refuses a repeated code). */
export async function insertSubmission(
	tx: Tx,
	s: {
		id: string;
		ballotId: string;
		receipt: string;
		voterUserId: string;
		proxyId: string | null;
		choices: string;
		unitIds: string[];
		at: number;
	}
): Promise<void> {
	await tx.insert(electronicSubmissions).values({
		id: s.id,
		ballotId: s.ballotId,
		receipt: s.receipt,
		voterUserId: s.voterUserId,
		proxyId: s.proxyId,
		choices: s.choices,
		unitIds: JSON.stringify(s.unitIds),
		castAt: s.at
	});
}

/**
 * Appends the cast rows (one per unit and motion) and points counted_votes at them. With `replace`
 * (a ballot that allows changes) an earlier counted row of the same unit, motion and channel is moved
 * on to the new cast row in one upsert; without it the primary key refuses a second counted row — the
 * caller maps that unique violation to "already voted".
 */
export async function appendCast(tx: Tx, cast: CastRows, replace: boolean): Promise<void> {
	const rows = cast.units.flatMap((u) =>
		[...cast.choices].map(([motionId, choice]) => ({
			ballotId: cast.ballotId,
			motionId,
			compoundId: u.compoundId,
			unitId: u.unitId,
			channel: cast.channel,
			choice,
			voterUserId: cast.voterUserId,
			proxyId: cast.proxyId,
			sourceId: cast.sourceId,
			castAt: cast.at
		}))
	);
	await tx.insert(castVotes).values(rows);
	const units = inList(cast.units.map((u) => u.unitId));
	const upsert = replace
		? sql` ON CONFLICT (ballot_id, motion_id, unit_id, channel) DO UPDATE SET choice = excluded.choice, seq = excluded.seq,
			via_proxy = excluded.via_proxy, counted_at = excluded.counted_at`
		: sql``;
	await tx.run(sql`INSERT INTO counted_votes (ballot_id, motion_id, unit_id, channel, compound_id, choice, seq, via_proxy, counted_at)
		SELECT ballot_id, motion_id, unit_id, channel, compound_id, choice, seq, ${cast.proxyId !== null ? 1 : 0}, ${cast.at}
		FROM cast_votes
		WHERE ballot_id = ${cast.ballotId} AND unit_id IN (${units}) AND source_id = ${cast.sourceId}${upsert}`);
}
