/**
 * Voting's SQL for the writes that count a ballot (immich-style repository): one way to write each row, as plain
 * SQL text run on the write queue's transaction (every cast runs these, so none is built per request; the
 * connection keeps each text prepared). The services decide; this module only reads and writes rows.
 *
 * Invariant kept here: counted_votes is filled from the cast_votes rows just appended (found by ballot,
 * unit and source through cast_votes_ballot_unit), so a counted row always points at a cast row, and its
 * primary key — not a check in code — allows one counted ballot per unit, motion and channel. cast_votes
 * itself is append-only (migration 0016): a changed vote is a new row.
 */
import type { Choice } from '../../domain/voting/index.ts';
import type { Tx } from '../db/client.ts';
import { rawTx, type RawTx } from '../db/write-queue.ts';

/** A statement of the cast's write, its SQL text fixed (kept prepared by the connection) and its values bound. */
export type Statement = { sql: string; args: (string | number | null)[] };

/**
 * Runs the statements back to back on the write transaction's connection: plain SQL text kept by the connection, so no
 * query is built per cast, and nothing else of this process runs between them while it holds the write lock. A failure
 * is a LibsqlBatchError whose `statementIndex` names the statement.
 */
export async function runInWrite(tx: Tx, statements: Statement[]): Promise<void> {
	await writerOf(tx).batch(statements);
}

function writerOf(tx: Tx): RawTx {
	const raw = rawTx(tx);
	if (raw === null) throw new Error('voting writes run only inside database.write');
	return raw;
}
export interface CastState {
	closedAt: number | null;
	openedAt: number | null;
	closesAt: number;
	/** Units of these that already have a counted electronic ballot (only asked where a change is allowed). */
	countedBefore: number;
	/** Units of these whose voters are fixed for this ballot and do not include the voter (only asked for an owner's own cast). */
	frozenOut: number;
}

const CAST_STATE_SQL = `SELECT closed_at, opened_at, closes_at,
	CASE WHEN ?4 THEN (SELECT count(*) FROM counted_votes WHERE ballot_id = ?1 AND channel = 'electronic'
		AND unit_id IN (SELECT value FROM json_each(?2))) ELSE 0 END AS counted_before,
	CASE WHEN ?5 THEN (SELECT count(*) FROM (SELECT unit_id FROM electorate_voters WHERE ballot_id = ?1
		AND unit_id IN (SELECT value FROM json_each(?2)) AND ended_at IS NULL GROUP BY unit_id HAVING max(user_id = ?3) = 0)) ELSE 0 END
		AS frozen_out
	FROM ballots WHERE id = ?1`;

/**
 * Re-read inside the write, in one statement: the window (the check before queueing may be stale by now),
 * whether these units already have a counted electronic ballot, and whether an owner change confirmed
 * meanwhile took a unit's vote from this voter.
 */
export async function readCastState(
	tx: Tx,
	q: { ballotId: string; unitIds: string[]; voterUserId: string; countedBefore: boolean; frozenOut: boolean }
): Promise<CastState> {
	const args = [q.ballotId, JSON.stringify(q.unitIds), q.voterUserId, q.countedBefore ? 1 : 0, q.frozenOut ? 1 : 0];
	const [{ rows }] = await writerOf(tx).batch([{ sql: CAST_STATE_SQL, args }]);
	const row = rows[0] as {
		closed_at: number | null;
		opened_at: number | null;
		closes_at: number;
		counted_before: number;
		frozen_out: number;
	};
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

const SUBMISSION_SQL =
	'INSERT INTO electronic_submissions (id, ballot_id, receipt, voter_user_id, proxy_id, choices, unit_ids, cast_at) ' +
	'VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/** 网上投票: the submission row that carries the receipt (its unique index refuses a repeated code). */
export function submissionStatement(s: {
	id: string;
	ballotId: string;
	receipt: string;
	voterUserId: string;
	proxyId: string | null;
	choices: string;
	unitIds: string[];
	at: number;
}): Statement {
	return {
		sql: SUBMISSION_SQL,
		args: [s.id, s.ballotId, s.receipt, s.voterUserId, s.proxyId, s.choices, JSON.stringify(s.unitIds), s.at]
	};
}

const CAST_ROW_SQL =
	'INSERT INTO cast_votes (ballot_id, motion_id, compound_id, unit_id, channel, choice, voter_user_id, proxy_id, source_id, cast_at) ' +
	'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const COUNT_SQL = `INSERT INTO counted_votes (ballot_id, motion_id, unit_id, channel, compound_id, choice, seq, via_proxy, counted_at)
	SELECT ballot_id, motion_id, unit_id, channel, compound_id, choice, seq, ?1, ?2
	FROM cast_votes
	WHERE ballot_id = ?3 AND unit_id IN (SELECT value FROM json_each(?4)) AND source_id = ?5`;
const COUNT_REPLACING_SQL = `${COUNT_SQL} ON CONFLICT (ballot_id, motion_id, unit_id, channel) DO UPDATE SET choice = excluded.choice,
	seq = excluded.seq, via_proxy = excluded.via_proxy, counted_at = excluded.counted_at`;

/** appendCast's statements: one cast row per unit and motion (seq in that order), then the counted rows pointed at them. */
export function castStatements(cast: CastRows, replace: boolean): Statement[] {
	const rows = cast.units.flatMap((u) =>
		[...cast.choices].map(([motionId, choice]) => ({
			sql: CAST_ROW_SQL,
			args: [
				cast.ballotId,
				motionId,
				u.compoundId,
				u.unitId,
				cast.channel,
				choice,
				cast.voterUserId,
				cast.proxyId,
				cast.sourceId,
				cast.at
			]
		}))
	);
	const unitIds = JSON.stringify(cast.units.map((u) => u.unitId));
	const count = {
		sql: replace ? COUNT_REPLACING_SQL : COUNT_SQL,
		args: [cast.proxyId !== null ? 1 : 0, cast.at, cast.ballotId, unitIds, cast.sourceId]
	};
	return [...rows, count];
}

/**
 * Appends the cast rows (one per unit and motion) and points counted_votes at them. With `replace`
 * (a ballot that allows changes) an earlier counted row of the same unit, motion and channel is moved
 * on to the new cast row in one upsert; without it the primary key refuses a second counted row — the
 * caller maps that unique violation to "already voted".
 */
export async function appendCast(tx: Tx, cast: CastRows, replace: boolean): Promise<void> {
	await runInWrite(tx, castStatements(cast, replace));
}
