/**
 * 多套房屋投票不一致的处理: after the voting deadline, the 业委会 sees each person whose units voted
 * differently on a motion (the rule: src/lib/domain/voting/mixed-choices.ts) with the choice of
 * every unit, and settles how that person counts in persons — under double control, like paper
 * double entry: one member proposes (the owner's stated choice, or abstain when the owner cannot be
 * reached), a second, different member of the same compound confirms. The close (by hand and by the
 * scheduler) waits until every case is settled; the export carries the settlements, so the recount
 * reproduces them, and the public record says how many there were and how each was settled.
 *
 * Why only after the deadline: until then any unit's choice may still change, and the choices of a
 * secret ballot stay hidden from the 业委会 while owners can still vote.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { decide, type Actor, type CompoundScope } from '../../domain/access/policy.ts';
import { formatDateTime } from '../../domain/time/china-date.ts';
import {
	allowedSettlementChoices,
	caseKey,
	findOwnersVoteProblems,
	formatArea,
	mixedChoiceCases,
	type Choice,
	type MixedChoiceCase,
	type OwnersVoteInput,
	type PersonSettlement,
	type SettlementBasis
} from '../../domain/voting/index.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database, Db } from '../db/client.ts';
import { choiceSettlements } from '../db/schema/index.ts';
import { InvalidInput, RuleBroken, refuseDuplicate } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { m as msg } from '../../paraglide/messages.js';
import { choiceWord } from '../../domain/voting/words.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { loadBallot, phaseOf, requireAnyCompound, scopesOf, type BallotRecord } from './common.ts';
import { buildVoteInput } from './tally-input.ts';
import { liveVoteInputOf } from './live-cache.ts';

export const SETTLEMENT_NOTE_MAX = 200;

/**
 * Cases of the inputs live-cache.ts keeps per process, by the input's compounds array (it lives as long as that copy)
 * and its number of ballots (ballots are only ever appended to it): the same count is the same input, so the 核对不一致
 * page does not re-examine 20,000 units on every load while nothing was cast. A fully read input never hits.
 */
const casesMemo = new WeakMap<object, { ballots: number; cases: MixedChoiceCase[] }>();

/** Units by compound and id, once per kept input (its setup is frozen at the opening). */
const unitMaps = new WeakMap<object, Map<string, OwnersVoteInput['compounds'][number]['units'][number]>>();
function unitMapOf(input: OwnersVoteInput) {
	let map = unitMaps.get(input.compounds);
	if (!map) {
		map = new Map(input.compounds.flatMap((c) => c.units.map((u) => [`${c.compoundId}\u0000${u.unitId}`, u] as const)));
		unitMaps.set(input.compounds, map);
	}
	return map;
}

/** The cases of a vote as the engine sees them now. */
function casesOf(input: OwnersVoteInput): MixedChoiceCase[] {
	const known = casesMemo.get(input.compounds);
	if (known && known.ballots === input.ballots.length) return known.cases;
	const found = findOwnersVoteProblems(input);
	const cases = found.problems.length > 0 ? [] : mixedChoiceCases(found.vote, found.ballots);
	casesMemo.set(input.compounds, { ballots: input.ballots.length, cases });
	return cases;
}

type SettlementRow = typeof choiceSettlements.$inferSelect;

async function liveSettlements(reader: Db, ballotId: string): Promise<SettlementRow[]> {
	return reader
		.select()
		.from(choiceSettlements)
		.where(and(eq(choiceSettlements.ballotId, ballotId), isNull(choiceSettlements.withdrawnAt)));
}

/**
 * The confirmed settlements that match the cases as they stand, for the export, and how many cases
 * are still open. A settlement of a case whose choices changed since matches nothing and is left out.
 */
export async function settlementsForCount(
	reader: Db,
	input: OwnersVoteInput,
	ballotId: string
): Promise<{ settlements: PersonSettlement[]; open: number }> {
	const cases = casesOf(input);
	if (cases.length === 0) return { settlements: [], open: 0 };
	const confirmed = new Map((await liveSettlements(reader, ballotId)).filter((r) => r.confirmedAt !== null).map((r) => [r.caseKey, r]));
	const settlements: PersonSettlement[] = [];
	let open = 0;
	for (const c of cases) {
		const row = confirmed.get(caseKey(c));
		if (!row) open++;
		else {
			const units = c.units.map((u) => ({ unitId: u.unitId, choice: u.choice }));
			settlements.push({ compoundId: c.compoundId, motionId: c.motionId, units, choice: row.choice, basis: row.basis });
		}
	}
	return { settlements, open };
}

/** For the close, inside its write: refuses while a case is open. */
export async function requireSettledChoices(tx: Db, ballot: BallotRecord): Promise<void> {
	const { open } = await settlementsForCount(tx, await buildVoteInput(tx, ballot), ballot.id);
	if (open > 0) {
		throw new RuleBroken(msg.voting_settle_unsettled({ open }), 'choices_unsettled');
	}
}

/** How many settlements the close counted that were confirmed after the deadline (for the close's delay reason). */
export async function settlementsConfirmedAfter(tx: Db, ballotId: string, after: number): Promise<number> {
	const [row] = await tx.all<{ n: number }>(
		sql`SELECT count(*) AS n FROM choice_settlements WHERE ballot_id = ${ballotId} AND withdrawn_at IS NULL AND confirmed_at > ${after}`
	);
	return Number(row?.n ?? 0);
}

export interface SettlementView {
	id: string;
	choice: Choice;
	choiceLabel: string;
	basis: SettlementBasis;
	basisLabel: string;
	note: string;
	/** Who proposed it and when; who confirmed it and when (null while pending). */
	proposed: { byName: string; at: number };
	confirmed: { byName: string; at: number } | null;
	canConfirm: boolean;
	canWithdraw: boolean;
}

export interface MixedCaseView {
	key: string;
	compoundName: string;
	motionId: string;
	motionTitle: string;
	developer: boolean;
	units: { label: string; area: string; choiceLabel: string; channelLabel: string }[];
	allowedChoices: { value: Choice; label: string }[];
	settlement: SettlementView | null;
	/** Whether this actor may propose a settlement (业委会 of the compound, nothing live yet). */
	canPropose: boolean;
}

export interface MixedCasesPage {
	ballotId: string;
	title: string;
	/** ended: listed and settled now; before: voting still open; closed: the count is closed. */
	stage: 'before' | 'ended' | 'closed';
	closesAt: number;
	cases: MixedCaseView[];
	open: number;
}

/** 核对不一致的投票: the cases of the compounds this person may settle or watch, each with its settlement. */
export async function mixedChoiceCasesOf(database: Database, actor: Actor, input: { ballotId: string }): Promise<MixedCasesPage> {
	const ballot = await loadBallot(database.db, input.ballotId);
	const scopes = requireAnyCompound(actor, ['ballot.settle_choices', 'count.watch'], await scopesOf(database, ballot));
	const visible = new Set(scopes.map((s) => s.id));
	const mayScope = (s: CompoundScope) => decide(actor, 'ballot.settle_choices', { compounds: [s] }).allowed;
	const settling = new Set((await scopesOf(database, ballot)).filter(mayScope).map((s) => s.id));
	const phase = phaseOf(ballot, clock.now());
	const base = { ballotId: ballot.id, title: ballot.title, closesAt: ballot.closesAt, cases: [], open: 0 };
	if (phase === 'closed') return { ...base, stage: 'closed' };
	if (phase !== 'ended') return { ...base, stage: 'before' };
	const voteInput = await liveVoteInputOf(database.db, ballot);
	const unitOf = unitMapOf(voteInput);
	const names = new Map(ballot.compounds.map((c) => [c.compoundId, c.name]));
	const titles = new Map(ballot.motions.map((m) => [m.motionId, m.title]));
	const rows = await database.db.all<SettlementRow & { proposer: string; confirmer: string | null }>(sql`
		SELECT s.id, s.case_key AS caseKey, s.compound_id AS compoundId, s.choice, s.basis, s.note, s.proposed_by AS proposedBy,
			s.proposed_at AS proposedAt, s.confirmed_at AS confirmedAt, p.display_name AS proposer, k.display_name AS confirmer
		FROM choice_settlements s JOIN users p ON p.id = s.proposed_by LEFT JOIN users k ON k.id = s.confirmed_by
		WHERE s.ballot_id = ${ballot.id} AND s.withdrawn_at IS NULL`);
	const byKey = new Map(rows.map((r) => [r.caseKey, r]));
	const cases = casesOf(voteInput)
		.filter((c) => visible.has(c.compoundId))
		.map((c): MixedCaseView => {
			const key = caseKey(c);
			const row = byKey.get(key);
			const mine = settling.has(c.compoundId);
			return {
				key,
				compoundName: names.get(c.compoundId) ?? c.compoundId,
				motionId: c.motionId,
				motionTitle: titles.get(c.motionId) ?? c.motionId,
				developer: c.developer,
				units: c.units.map((u) => {
					const unit = unitOf.get(`${c.compoundId}\u0000${u.unitId}`);
					return {
						label: unit ? `${unit.building} ${unit.room}` : u.unitId,
						area: formatArea(u.areaHundredths),
						choiceLabel: choiceWord(u.choice),
						channelLabel:
							u.channel === 'paper'
								? msg.voting_channel_paper()
								: u.viaProxy
									? msg.voting_channel_online_proxy()
									: msg.voting_channel_online()
					};
				}),
				allowedChoices: allowedSettlementChoices(c).map((value) => ({ value, label: choiceWord(value) })),
				settlement: row
					? {
							id: row.id,
							choice: row.choice,
							choiceLabel: choiceWord(row.choice),
							basis: row.basis,
							basisLabel:
								row.basis === 'owner_stated' ? msg.voting_settle_basis_stated() : msg.voting_settle_basis_unreachable(),
							note: row.note,
							proposed: { byName: row.proposer, at: Number(row.proposedAt) },
							confirmed: row.confirmedAt === null ? null : { byName: row.confirmer ?? '', at: Number(row.confirmedAt) },
							canConfirm: row.confirmedAt === null && mine && row.proposedBy !== actor.userId,
							canWithdraw: row.confirmedAt === null && mine
						}
					: null,
				canPropose: !row && mine
			};
		});
	return { ...base, stage: 'ended', cases, open: cases.filter((c) => !c.settlement?.confirmed).length };
}

/** The case with this key as it stands now, or a Chinese refusal when the choices have changed since the page was shown. */
async function currentCase(database: Database, ballot: BallotRecord, key: string): Promise<MixedChoiceCase> {
	if (phaseOf(ballot, clock.now()) !== 'ended') throw new RuleBroken(msg.voting_settle_not_ended(), 'not_ended');
	const found = casesOf(await liveVoteInputOf(database.db, ballot)).find((c) => caseKey(c) === key);
	if (!found) throw new RuleBroken(msg.voting_settle_case_changed(), 'case_changed');
	return found;
}

/** 提出处理意见: the first 业委会 member records how the person counts, and on what basis. */
export async function proposeSettlement(
	database: Database,
	actor: Actor,
	input: { ballotId: string; caseKey: string; choice: string; basis: string; note: string }
): Promise<{ settlementId: string }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['ballot.settle_choices'], await scopesOf(database, ballot));
	const basis = input.basis as SettlementBasis;
	if (basis !== 'owner_stated' && basis !== 'owner_unreachable')
		throw new InvalidInput(msg.voting_settle_choose_basis(), { basis: msg.voting_field_choose() });
	const choice = (basis === 'owner_unreachable' ? 'abstain' : input.choice) as Choice;
	const note = (input.note ?? '').trim();
	if (note.length > SETTLEMENT_NOTE_MAX)
		throw new InvalidInput(msg.voting_settle_note_too_long({ max: SETTLEMENT_NOTE_MAX }), { note: msg.voting_field_too_long() });
	const found = await currentCase(database, ballot, input.caseKey ?? '');
	requireAccess(actor, 'ballot.settle_choices', { compounds: [await compoundScope(database, found.compoundId)] });
	if (!allowedSettlementChoices(found).some((c) => c === choice)) {
		throw new InvalidInput(msg.voting_settle_choose_choice(), { choice: msg.voting_field_choose() });
	}
	const settlementId = newId();
	await database.write(async (tx) => {
		await refuseDuplicate(
			tx.insert(choiceSettlements).values({
				id: settlementId,
				ballotId: ballot.id,
				compoundId: found.compoundId,
				motionId: found.motionId,
				caseKey: caseKey(found),
				units: JSON.stringify(found.units.map((u) => ({ unitId: u.unitId, choice: u.choice }))),
				choice,
				basis,
				note,
				proposedBy: actor.userId,
				proposedAt: clock.now()
			}),
			new RuleBroken(msg.voting_settle_pending(), 'settlement_pending')
		);
		const detail = { settlementId, motionId: found.motionId, choice, basis };
		await audit(tx, { actorId: actor.userId, action: 'ballot.settle_propose', subjectType: 'ballot', subjectId: ballot.id, detail });
	});
	return { settlementId };
}

/** A settlement of a ballot, as a form names it. */
export interface SettlementRef {
	ballotId: string;
	settlementId: string;
}

async function loadSettlement(database: Database, ballotId: string, settlementId: string): Promise<SettlementRow> {
	const rows = await database.db
		.select()
		.from(choiceSettlements)
		.where(and(eq(choiceSettlements.id, settlementId ?? ''), eq(choiceSettlements.ballotId, ballotId)))
		.limit(1);
	if (!rows[0]) throw new InvalidInput(msg.voting_settle_not_found(), { settlementId: msg.voting_settle_not_found_field() });
	return rows[0];
}

/** Stamps a pending settlement once — confirmed or withdrawn; the triggers refuse any other change. */
async function stampPending(tx: Db, id: string, stamp: Partial<SettlementRow>, refusal: string): Promise<void> {
	const pending = and(eq(choiceSettlements.id, id), isNull(choiceSettlements.confirmedAt), isNull(choiceSettlements.withdrawnAt));
	const done = await tx.update(choiceSettlements).set(stamp).where(pending).returning({ id: choiceSettlements.id });
	if (done.length === 0) throw new RuleBroken(refusal, 'settlement_done');
}

/** 确认: a second, different 业委会 member of the same compound confirms; the case is settled. */
export async function confirmSettlement(database: Database, actor: Actor, input: SettlementRef): Promise<void> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['ballot.settle_choices'], await scopesOf(database, ballot));
	const row = await loadSettlement(database, ballot.id, input.settlementId);
	requireAccess(actor, 'ballot.settle_choices', { compounds: [await compoundScope(database, row.compoundId)] });
	if (row.proposedBy === actor.userId) throw new RuleBroken(msg.voting_settle_same_member(), 'same_member');
	await currentCase(database, ballot, row.caseKey);
	await database.write(async (tx) => {
		await stampPending(tx, row.id, { confirmedBy: actor.userId, confirmedAt: clock.now() }, msg.voting_settle_already_done());
		const detail = { settlementId: row.id, proposedBy: row.proposedBy };
		await audit(tx, { actorId: actor.userId, action: 'ballot.settle_confirm', subjectType: 'ballot', subjectId: ballot.id, detail });
	});
}

/** 撤回: a pending proposal made in error; it stays on record. */
export async function withdrawSettlement(database: Database, actor: Actor, input: SettlementRef): Promise<void> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['ballot.settle_choices'], await scopesOf(database, ballot));
	const row = await loadSettlement(database, ballot.id, input.settlementId);
	requireAccess(actor, 'ballot.settle_choices', { compounds: [await compoundScope(database, row.compoundId)] });
	if (ballot.closedAt !== null) throw new RuleBroken(msg.voting_settle_withdraw_closed(), 'window_closed');
	await database.write(async (tx) => {
		await stampPending(tx, row.id, { withdrawnAt: clock.now() }, msg.voting_settle_already_confirmed());
		const detail = { settlementId: row.id };
		await audit(tx, { actorId: actor.userId, action: 'ballot.settle_withdraw', subjectType: 'ballot', subjectId: ballot.id, detail });
	});
}

/** The reason the close came later than the deadline because of settlements (for closeDelayReason: stored and hashed, stays Chinese). */
export function settlementDelayText(count: number, closedAt: number): string {
	return `截止时有 ${count} 位业主的几套房屋投票意见不一致，经业委会两位成员核对处理后，于${formatDateTime(closedAt)}结束计票`;
}
