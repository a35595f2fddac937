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
import { sql } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Choice } from '../../domain/voting/index.ts';
import { requireAccess } from '../access.ts';
import { m as msg } from '../../paraglide/messages.js';
import { preparedPerHandle, type Database, type Db, type Tx } from '../db/client.ts';
import { electorateUnits } from '../db/schema/index.ts';
import { RuleBroken, isUniqueViolation } from '../errors.ts';
import { auditStatement } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { reviewNotice, youChoseLines } from '../../domain/voting/words.ts';
import { frozenOutMessage } from './voters.ts';
import { castStatements, readCastState, runInWrite, submissionStatement } from './repository.ts';
import {
	CHOICE_LABELS,
	choicesJson,
	countedUnitsQuery,
	electorateUnitsInList,
	ballotOf,
	newReceipt,
	parseChoices,
	requireVotingWindow,
	reviewLines,
	scopesOf,
	type BallotRecord
} from './common.ts';

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
		.where(electorateUnitsInList())
		.prepare()
);

type ElectorateRow = { unitId: string; compoundId: string; buildingName: string; room: string; voters: number; mine: number };

async function electorateRows(reader: Db, ballotId: string, unitIds: string[], userId: string): Promise<ElectorateRow[]> {
	const rows = (await electorateQuery(reader).all({ ballotId, unitIds: JSON.stringify(unitIds), userId })) as ElectorateRow[];
	if (rows.length !== unitIds.length) throw new RuleBroken(msg.voting_error_not_in_electorate(), 'not_in_electorate');
	const byId = new Map(rows.map((r) => [r.unitId, r]));
	return unitIds.map((id) => byId.get(id)!);
}

const unitOf = (r: ElectorateRow) => ({ unitId: r.unitId, compoundId: r.compoundId, label: `${r.buildingName} ${r.room}` });

/** The voter's units as frozen at opening; a unit added to the roster later has no vote in this ballot. */
export async function requireElectorateUnits(
	reader: Db,
	ballotId: string,
	unitIds: string[]
): Promise<{ unitId: string; compoundId: string; label: string }[]> {
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
	if (frozenOut.length > 0 && (named || frozenOut.length === rows.length))
		throw new RuleBroken(frozenOutMessage(), 'not_the_frozen_voter');
	return rows.filter((r) => !frozenOut.includes(r)).map(unitOf);
}

async function prepareCast(database: Database, actor: Actor | null, input: ElectronicBallotInput, loaded?: BallotRecord) {
	// A ballot the caller loaded for this request (the check and cast actions need its motions to read
	// the form) is not read a second time; the write re-checks the window against the row anyway.
	const ballot = await ballotOf(database.db, input.ballotId, loaded);
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
export async function previewElectronicBallot(
	database: Database,
	actor: Actor | null,
	input: ElectronicBallotInput,
	loaded?: BallotRecord
): Promise<BallotReview> {
	const { ballot, choices, units } = await prepareCast(database, actor, input, loaded);
	const counted = await countedUnitsQuery(database.db).all({
		ballotId: ballot.id,
		channel: 'electronic',
		unitIds: JSON.stringify(units.map((u) => u.unitId))
	});
	return {
		ballotId: ballot.id,
		units: units.map(({ unitId, label }) => ({ unitId, label })),
		lines: reviewLines(ballot, choices),
		alreadyVoted: counted.length > 0,
		notice: reviewNotice(ballot.allowChange)
	};
}

/** The words of the check step for every choice the page's form can post: motion id → choice → line. */
export interface CheckStepWords {
	lines: Record<string, Record<Choice, string>>;
	notice: string;
}

/**
 * 核对 as the ballot page shows it with JavaScript, without a request: the line of every motion for every choice and
 * the notice, worded here exactly as previewElectronicBallot words them, sent with the page. The page picks the lines
 * of the choices made; the cast re-checks everything.
 */
export function checkStepWords(ballot: BallotRecord): CheckStepWords {
	const choices = Object.keys(CHOICE_LABELS) as Choice[];
	return {
		lines: Object.fromEntries(
			ballot.motions.map((motion) => [
				motion.motionId,
				Object.fromEntries(choices.map((choice) => [choice, youChoseLines([motion], () => choice)[0]])) as Record<Choice, string>
			])
		),
		notice: reviewNotice(ballot.allowChange)
	};
}

/** 确认投票: records the ballot for every unit and motion, and returns the receipt. */
export async function castElectronicBallot(
	database: Database,
	actor: Actor | null,
	input: ElectronicBallotInput,
	loaded?: BallotRecord
): Promise<CastReceipt> {
	const { ballot, voter, choices, units } = await prepareCast(database, actor, input, loaded);
	const result = await database.write((tx) =>
		recordElectronicVotes(tx, { ballot, units, choices, voterUserId: voter.userId, proxyId: null })
	);
	return { ...result, units: units.map(({ unitId, label }) => ({ unitId, label })), lines: reviewLines(ballot, choices) };
}

/**
 * Appends one submission and its per-unit, per-motion rows, and points counted_votes at them.
 * Runs inside a write; throwing rolls back this task's savepoint, so a refused cast leaves nothing.
 */
export async function recordElectronicVotes(tx: Tx, cast: CastWrite): Promise<{ receipt: string; castAt: number; replaced: boolean }> {
	const { ballot, units, choices } = cast;
	const now = clock.now();
	const unitIds = units.map((u) => u.unitId);
	const state = await readCastState(tx, {
		ballotId: ballot.id,
		unitIds,
		voterUserId: cast.voterUserId,
		countedBefore: ballot.allowChange,
		// A 受托人 casts under the 委托书, not as the unit's fixed voter.
		frozenOut: cast.proxyId === null
	});
	requireVotingWindow({ ...ballot, closedAt: state.closedAt, openedAt: state.openedAt, closesAt: state.closesAt }, now);
	if (state.frozenOut > 0) throw new RuleBroken(frozenOutMessage(), 'not_the_frozen_voter');
	const replaced = ballot.allowChange && state.countedBefore > 0;

	const submissionId = newId();
	const receipt = newReceipt();
	const voter = { voterUserId: cast.voterUserId, proxyId: cast.proxyId };
	const submission = submissionStatement({
		id: submissionId,
		ballotId: ballot.id,
		receipt,
		...voter,
		choices: choicesJson(choices),
		unitIds,
		at: now
	});
	const rows = { ballotId: ballot.id, channel: 'electronic' as const, units, choices, ...voter, sourceId: submissionId, at: now };
	const counting = castStatements(rows, ballot.allowChange);
	// The audit names the voter and the act, never the choices or the receipt (that would unmask the secret ballot).
	const trace = auditStatement({
		actorId: cast.voterUserId,
		action: cast.proxyId ? 'ballot.cast_by_proxy' : 'ballot.cast',
		subjectType: 'ballot',
		subjectId: ballot.id,
		detail: { units: units.length, replaced, ...(cast.proxyId ? { proxyId: cast.proxyId } : {}) }
	});
	try {
		await runInWrite(tx, [submission, ...counting, trace]);
	} catch (error) {
		// Only the counted rows' key (a unit already counted) is "already voted"; a failure elsewhere stays what it is.
		const failed = (error as { statementIndex?: number }).statementIndex ?? -1;
		if (!ballot.allowChange && failed >= 1 && failed <= counting.length && isUniqueViolation(error)) throw alreadyVotedError(units);
		throw error;
	}
	return { receipt, castAt: now, replaced };
}

type CastWrite = {
	ballot: BallotRecord;
	units: { unitId: string; compoundId: string; label: string }[];
	choices: Map<string, Choice>;
	voterUserId: string;
	proxyId: string | null;
};

function alreadyVotedError(units: CastWrite['units']): RuleBroken {
	return new RuleBroken(
		units.length > 1 ? msg.voting_error_already_voted() : msg.voting_error_unit_already_voted({ unit: units[0].label }),
		'already_voted'
	);
}
