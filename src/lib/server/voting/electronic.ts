/**
 * 网上投票: a verified owner votes once for all their units in the ballot's compounds, after a
 * review step ("您选择：同意") and a confirmation, and gets a receipt code.
 *
 * One counted ballot per unit, motion and channel is enforced by counted_votes' primary key, not by
 * the checks here: a repeated or concurrent submission either fails on the key (no change allowed)
 * or replaces the row in one upsert (change allowed); it can never add a second counted row.
 *
 * Co-owners share a unit and so share its one vote: without allowChange the first co-owner's cast
 * holds and the other is refused; with allowChange the last cast counts, whoever made it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Choice } from '../../domain/voting/index.ts';
import { requireAccess } from '../access.ts';
import { preparedPerHandle, type Database, type Db, type Tx } from '../db/client.ts';
import { rawTx, type RawTx } from '../db/write-queue.ts';
import { ballots, castVotes, countedVotes, electorateUnits, electronicSubmissions } from '../db/schema/index.ts';
import { RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { FROZEN_OUT_MESSAGE } from './voters.ts';
import { choicesJson, loadBallot, newReceipt, parseChoices, requireVotingWindow, reviewLines, scopesOf, type BallotRecord } from './common.ts';

export interface ElectronicBallotInput {
	ballotId: string;
	/** { [motionId]: 'yes' | 'no' | 'abstain' }, one answer for every motion. */
	choices: Record<string, string>;
	/** Defaults to every unit the voter owns in the ballot's compounds. */
	unitIds?: string[];
}

export interface BallotReview {
	ballotId: string;
	units: { unitId: string; label: string }[];
	/** "方案A：您选择：同意", one per motion, for the confirmation screen. */
	lines: string[];
	/** Whether this voter's units already have an electronic ballot counted. */
	alreadyVoted: boolean;
	/** What confirming means, in the voter's words. */
	notice: string;
}

export interface CastReceipt {
	receipt: string;
	castAt: number;
	units: { unitId: string; label: string }[];
	lines: string[];
	/** True when this cast replaced an earlier one (allowChange). */
	replaced: boolean;
}

function ownedUnitsInBallot(actor: Actor | null, ballot: BallotRecord): string[] {
	const compoundIds = new Set(ballot.compounds.map((c) => c.compoundId));
	return (actor?.memberships ?? []).filter((m) => m.relation === 'owner' && compoundIds.has(m.compoundId)).map((m) => m.unitId);
}

/**
 * The electorate lookup (it runs on every cast). The unit ids go in as one JSON array, so one
 * statement serves any number of units. It also tells, per unit, how many accounts were fixed as
 * its voters for this ballot (voters.ts) and whether the given account is one of them.
 */
const electorateQuery = preparedPerHandle((reader) =>
	reader
		.select({
			unitId: electorateUnits.unitId,
			compoundId: electorateUnits.compoundId,
			buildingName: electorateUnits.buildingName,
			room: electorateUnits.room,
			// Qualified by hand: drizzle writes a single table's columns unqualified, which inside these subqueries would name v's.
			voters: sql<number>`(SELECT count(*) FROM electorate_voters v
				WHERE v.ballot_id = electorate_units.ballot_id AND v.unit_id = electorate_units.unit_id AND v.ended_at IS NULL)`,
			mine: sql<number>`EXISTS (SELECT 1 FROM electorate_voters v
				WHERE v.ballot_id = electorate_units.ballot_id AND v.unit_id = electorate_units.unit_id AND v.ended_at IS NULL
				AND v.user_id = ${sql.placeholder('userId')})`
		})
		.from(electorateUnits)
		.where(and(eq(electorateUnits.ballotId, sql.placeholder('ballotId')), sql`${electorateUnits.unitId} IN (SELECT value FROM json_each(${sql.placeholder('unitIds')}))`))
		.prepare()
);

type ElectorateRow = { unitId: string; compoundId: string; buildingName: string; room: string; voters: number; mine: number };

async function electorateRows(reader: Db, ballotId: string, unitIds: string[], userId: string): Promise<ElectorateRow[]> {
	const rows = (await electorateQuery(reader).all({ ballotId, unitIds: JSON.stringify(unitIds), userId })) as ElectorateRow[];
	if (rows.length !== unitIds.length) throw new RuleBroken('您的房屋不在本次表决开始时冻结的业主名册中，不能投票；如有疑问请联系业委会', 'not_in_electorate');
	const byId = new Map(rows.map((r) => [r.unitId, r]));
	return unitIds.map((id) => byId.get(id)!);
}

const unitOf = (r: ElectorateRow) => ({ unitId: r.unitId, compoundId: r.compoundId, label: `${r.buildingName} ${r.room}` });

/** The voter's units as frozen at opening; a unit added to the roster later has no vote in this ballot. */
export async function requireElectorateUnits(reader: Db, ballotId: string, unitIds: string[]): Promise<{ unitId: string; compoundId: string; label: string }[]> {
	return (await electorateRows(reader, ballotId, unitIds, '')).map(unitOf);
}

/**
 * The units this owner votes for in this ballot: frozen in the electorate, and either fixed to this
 * account as a voter or with no voter fixed at all. Units whose vote belongs to another account are
 * left out of a default "all my units" cast, and refused when named.
 */
async function votableUnits(reader: Db, ballotId: string, unitIds: string[], userId: string, named: boolean) {
	const rows = await electorateRows(reader, ballotId, unitIds, userId);
	const frozenOut = rows.filter((r) => Number(r.voters) > 0 && !Number(r.mine));
	if (frozenOut.length > 0 && (named || frozenOut.length === rows.length)) throw new RuleBroken(FROZEN_OUT_MESSAGE, 'not_the_frozen_voter');
	return rows.filter((r) => !frozenOut.includes(r)).map(unitOf);
}

async function prepareCast(database: Database, actor: Actor | null, input: ElectronicBallotInput, loaded?: BallotRecord) {
	// A ballot the caller loaded for this request (the cast action needs its motions to read the
	// form) is not read a second time; the write re-checks the window against the row anyway.
	const ballot = loaded !== undefined && loaded.id === input.ballotId ? loaded : await loadBallot(database.db, input.ballotId);
	const unitIds = [...new Set(input.unitIds ?? ownedUnitsInBallot(actor, ballot))];
	// Only the actor's own owned units in this ballot's compounds pass: tenants, forged ids and
	// units of other compounds are all refused here, before anything else is looked at.
	const voter = requireAccess(actor, 'ballot.cast', { compounds: await scopesOf(database, ballot), unitIds });
	const choices = parseChoices(ballot, input.choices, true);
	requireVotingWindow(ballot, clock.now());
	const units = await votableUnits(database.db, ballot.id, unitIds, voter.userId, input.unitIds !== undefined);
	return { ballot, voter, choices, units };
}

/** 核对: everything castElectronicBallot checks, without writing; returns the review lines to confirm. */
export async function previewElectronicBallot(database: Database, actor: Actor | null, input: ElectronicBallotInput): Promise<BallotReview> {
	const { ballot, choices, units } = await prepareCast(database, actor, input);
	const counted = await database.db
		.select({ unitId: countedVotes.unitId })
		.from(countedVotes)
		.where(and(eq(countedVotes.ballotId, ballot.id), eq(countedVotes.channel, 'electronic'), inArray(countedVotes.unitId, units.map((u) => u.unitId))))
		.limit(1);
	return {
		ballotId: ballot.id,
		units: units.map(({ unitId, label }) => ({ unitId, label })),
		lines: reviewLines(ballot, choices),
		alreadyVoted: counted.length > 0,
		notice: ballot.allowChange ? '截止前您可以改票，以最后一次投票为准' : '提交后不能更改，请仔细核对'
	};
}

/** 确认投票: records the ballot for every unit and motion, and returns the receipt. */
export async function castElectronicBallot(database: Database, actor: Actor | null, input: ElectronicBallotInput, loaded?: BallotRecord): Promise<CastReceipt> {
	const { ballot, voter, choices, units } = await prepareCast(database, actor, input, loaded);
	const result = await database.write((tx) => recordElectronicVotes(tx, { ballot, units, choices, voterUserId: voter.userId, proxyId: null }));
	return { ...result, units: units.map(({ unitId, label }) => ({ unitId, label })), lines: reviewLines(ballot, choices) };
}

/**
 * Appends one submission and its per-unit, per-motion rows, and points counted_votes at them.
 * Runs inside a write; throwing rolls back this task's savepoint, so a refused cast leaves nothing.
 */
export async function recordElectronicVotes(tx: Tx, cast: CastWrite): Promise<{ receipt: string; castAt: number; replaced: boolean }> {
	const raw = rawTx(tx);
	return raw ? recordElectronicVotesRaw(raw, cast) : recordElectronicVotesDrizzle(tx, cast);
}

type CastWrite = { ballot: BallotRecord; units: { unitId: string; compoundId: string; label: string }[]; choices: Map<string, Choice>; voterUserId: string; proxyId: string | null };

function alreadyVotedError(units: CastWrite['units']): RuleBroken {
	return new RuleBroken(
		units.length > 1 ? '您的房屋已经投过票了（共有人或受托人也算），本次表决不允许改票' : `${units[0].label}已经投过票了（共有人或受托人也算），本次表决不允许改票`,
		'already_voted'
	);
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Re-checked inside the write (an owner change confirmed after the check before queueing would
 * otherwise let the replaced owner through): how many of these units have voters fixed for this
 * ballot, none of them this account. Arguments: ballot id, the unit ids, the voter's user id.
 */
const FROZEN_OUT_SQL = (inUnits: string) =>
	`(SELECT count(*) FROM (SELECT unit_id FROM electorate_voters WHERE ballot_id = ? AND unit_id IN (${inUnits}) AND ended_at IS NULL ` +
	'GROUP BY unit_id HAVING max(user_id = ?) = 0))';

/**
 * The same write as precomputed SQL on the write connection: one statement to re-check the window
 * (and whether these units already have a counted electronic ballot), then the four inserts as one
 * batch that runs back to back without yielding. counted_votes is filled from the cast rows just
 * inserted (found by ballot, unit and submission id through cast_votes_ballot_unit), so no cast
 * row's seq has to come back to JavaScript first. The rows and the audit entry are exactly those of
 * the drizzle version below; the primary key of counted_votes still allows one counted row per
 * unit, motion and channel.
 */
async function recordElectronicVotesRaw(raw: RawTx, cast: CastWrite): Promise<{ receipt: string; castAt: number; replaced: boolean }> {
	const { ballot, units, choices } = cast;
	const now = clock.now();
	const unitIds = units.map((u) => u.unitId);
	const inUnits = marks(unitIds.length);
	const countedBefore = ballot.allowChange ? `(SELECT count(*) FROM counted_votes WHERE ballot_id = ? AND channel = 'electronic' AND unit_id IN (${inUnits}))` : '0';
	const [stateResult] = await raw.batch([
		{
			sql:
				`SELECT closed_at, opened_at, closes_at, ${countedBefore} AS counted_before, ` +
				`${cast.proxyId === null ? FROZEN_OUT_SQL(inUnits) : '0'} AS frozen_out FROM ballots WHERE id = ?`,
			args: [...(ballot.allowChange ? [ballot.id, ...unitIds] : []), ...(cast.proxyId === null ? [ballot.id, ...unitIds, cast.voterUserId] : []), ballot.id]
		}
	]);
	const state = stateResult.rows[0] as { closed_at: number | null; opened_at: number | null; closes_at: number; counted_before: number; frozen_out: number };
	requireVotingWindow({ ...ballot, closedAt: state.closed_at, openedAt: state.opened_at, closesAt: Number(state.closes_at) }, now);
	if (Number(state.frozen_out) > 0) throw new RuleBroken(FROZEN_OUT_MESSAGE, 'not_the_frozen_voter');
	const replaced = ballot.allowChange && Number(state.counted_before) > 0;

	const submissionId = newId();
	const receipt = newReceipt();
	const viaProxy = cast.proxyId !== null ? 1 : 0;
	const castRows: (string | number | null)[] = [];
	for (const u of units) {
		for (const [motionId, choice] of choices) castRows.push(ballot.id, motionId, u.compoundId, u.unitId, 'electronic', choice, cast.voterUserId, cast.proxyId, submissionId, now);
	}
	const upsert = ballot.allowChange
		? ' ON CONFLICT (ballot_id, motion_id, unit_id, channel) DO UPDATE SET choice = excluded.choice, seq = excluded.seq, ' +
			'via_proxy = excluded.via_proxy, counted_at = excluded.counted_at'
		: '';
	try {
		await raw.batch([
			{
				sql:
					'INSERT INTO electronic_submissions (id, ballot_id, receipt, voter_user_id, proxy_id, choices, unit_ids, cast_at) ' +
					'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
				args: [submissionId, ballot.id, receipt, cast.voterUserId, cast.proxyId, choicesJson(choices), JSON.stringify(unitIds), now]
			},
			{
				sql:
					'INSERT INTO cast_votes (ballot_id, motion_id, compound_id, unit_id, channel, choice, voter_user_id, proxy_id, ' +
					'source_id, cast_at) ' +
					`VALUES ${Array.from({ length: castRows.length / 10 }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
				args: castRows
			},
			{
				sql:
					'INSERT INTO counted_votes (ballot_id, motion_id, unit_id, channel, compound_id, choice, seq, via_proxy, counted_at) ' +
					'SELECT ballot_id, motion_id, unit_id, channel, compound_id, choice, seq, ?, ? FROM cast_votes ' +
					`WHERE ballot_id = ? AND unit_id IN (${inUnits}) AND source_id = ?${upsert}`,
				args: [viaProxy, now, ballot.id, ...unitIds, submissionId]
			},
			{
				// The audit names the voter and the act, never the choices or the receipt.
				sql: 'INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, detail) VALUES (?, ?, ?, ?, ?, ?)',
				args: [
					now,
					cast.voterUserId,
					cast.proxyId ? 'ballot.cast_by_proxy' : 'ballot.cast',
					'ballot',
					ballot.id,
					JSON.stringify({ units: units.length, replaced, ...(cast.proxyId ? { proxyId: cast.proxyId } : {}) })
				]
			}
		]);
	} catch (error) {
		if (!ballot.allowChange && isUniqueViolation(error) && !/receipt/.test(String((error as Error).message))) throw alreadyVotedError(units);
		throw error;
	}
	return { receipt, castAt: now, replaced };
}

async function recordElectronicVotesDrizzle(tx: Tx, cast: CastWrite): Promise<{ receipt: string; castAt: number; replaced: boolean }> {
	const { ballot, units, choices } = cast;
	const now = clock.now();
	const unitIds = units.map((u) => u.unitId);
	// Re-read inside the write: the window check before queueing could be stale by now. The same
	// statement tells whether these units already have a counted electronic ballot (a change), so
	// the write holds the lock for one statement fewer.
	const [state] = await tx
		.select({
			closedAt: ballots.closedAt,
			openedAt: ballots.openedAt,
			closesAt: ballots.closesAt,
			countedBefore: ballot.allowChange
				? sql<number>`(select count(*) from ${countedVotes} where ${and(
						eq(countedVotes.ballotId, ballot.id),
						eq(countedVotes.channel, 'electronic'),
						inArray(countedVotes.unitId, unitIds)
					)})`
				: sql<number>`0`,
			frozenOut:
				cast.proxyId === null
					? sql<number>`(SELECT count(*) FROM (SELECT unit_id FROM electorate_voters
						WHERE ballot_id = ${ballot.id} AND unit_id IN (SELECT value FROM json_each(${JSON.stringify(unitIds)}))
						AND ended_at IS NULL
						GROUP BY unit_id HAVING max(user_id = ${cast.voterUserId}) = 0))`
					: sql<number>`0`
		})
		.from(ballots)
		.where(eq(ballots.id, ballot.id));
	requireVotingWindow({ ...ballot, closedAt: state.closedAt, openedAt: state.openedAt, closesAt: state.closesAt }, now);
	if (Number(state.frozenOut) > 0) throw new RuleBroken(FROZEN_OUT_MESSAGE, 'not_the_frozen_voter');

	const submissionId = newId();
	const receipt = newReceipt();
	await tx.insert(electronicSubmissions).values({
		id: submissionId,
		ballotId: ballot.id,
		receipt,
		voterUserId: cast.voterUserId,
		proxyId: cast.proxyId,
		choices: choicesJson(choices),
		unitIds: JSON.stringify(unitIds),
		castAt: now
	});
	const rows = units.flatMap((u) =>
		[...choices.entries()].map(([motionId, choice]) => ({
			ballotId: ballot.id,
			motionId,
			compoundId: u.compoundId,
			unitId: u.unitId,
			channel: 'electronic' as const,
			choice,
			voterUserId: cast.voterUserId,
			proxyId: cast.proxyId,
			sourceId: submissionId,
			castAt: now
		}))
	);
	const inserted = await tx.insert(castVotes).values(rows).returning({ seq: castVotes.seq, motionId: castVotes.motionId, unitId: castVotes.unitId, choice: castVotes.choice, compoundId: castVotes.compoundId });
	const counted = inserted.map((r) => ({
		ballotId: ballot.id,
		motionId: r.motionId,
		unitId: r.unitId,
		channel: 'electronic' as const,
		compoundId: r.compoundId,
		choice: r.choice,
		seq: r.seq,
		viaProxy: cast.proxyId !== null,
		countedAt: now
	}));

	let replaced = false;
	if (ballot.allowChange) {
		replaced = Number(state.countedBefore) > 0;
		// The last cast counts: one upsert per row, so the key still allows only one counted row.
		await tx
			.insert(countedVotes)
			.values(counted)
			.onConflictDoUpdate({
				target: [countedVotes.ballotId, countedVotes.motionId, countedVotes.unitId, countedVotes.channel],
				set: { choice: sql`excluded.choice`, seq: sql`excluded.seq`, viaProxy: sql`excluded.via_proxy`, countedAt: sql`excluded.counted_at` }
			});
	} else {
		try {
			await tx.insert(countedVotes).values(counted);
		} catch (error) {
			if (isUniqueViolation(error)) throw alreadyVotedError(units);
			throw error;
		}
	}
	// The audit names the voter and the act, never the choices or the receipt (that would unmask the secret ballot).
	await audit(tx, {
		actorId: cast.voterUserId,
		action: cast.proxyId ? 'ballot.cast_by_proxy' : 'ballot.cast',
		subjectType: 'ballot',
		subjectId: ballot.id,
		detail: { units: units.length, replaced, ...(cast.proxyId ? { proxyId: cast.proxyId } : {}) }
	});
	return { receipt, castAt: now, replaced };
}
