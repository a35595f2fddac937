/**
 * 纸质票与扫楼: 业委会 members type in signed paper ballots, unit by unit. A paper ballot counts
 * only when a second, different member's entry of it matches the first (双人录入); entries that
 * disagree are listed for reconciliation. Which ballot counts when a unit voted both on paper and
 * electronically is the ballot's bothChannelsRule, applied by the tally engine.
 *
 * Invariants:
 * - a member has at most one open (unconfirmed, unwithdrawn) entry per unit: the partial unique
 *   index paper_entries_one_open_per_member, so nobody can confirm their own typing;
 * - a confirmed paper ballot is one counted_votes row per motion under the same primary key as
 *   electronic ones (channel 'paper'): confirming twice can never count twice.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Actor } from '../../domain/access/policy.ts';
import type { Choice } from '../../domain/voting/index.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database, Tx } from '../db/client.ts';
import { ballots, countedVotes, electorateUnits, paperEntries, proxies, units, users } from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit, changeOnce } from '../util/audit.ts';
import { m as msg } from '../../paraglide/messages.js';
import { choiceWord } from '../../domain/voting/words.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { originNeededMessage } from '../public-origin.ts';
import { choicesJson, loadBallot, parseChoices, requireAnyCompound, requirePaperEntryOpen, scopesOf, type BallotRecord } from './common.ts';
import { matchPaperTyping, typingsDisagree, type PaperEntryStatus } from '../../domain/voting/ballot-rules.ts';
import { appendCast, type CastRows } from './repository.ts';
import { requireProxyForPaper } from './proxies.ts';
import { cachedElectorate } from './live-cache.ts';
import type { ElectorateUnit } from './tally-input.ts';

export type { PaperEntryStatus };

/** Insertion order breaks ties between entries typed in the same millisecond. */
const ENTRY_ORDER = sql`paper_entries.rowid`;

const STATUS_MESSAGES: Record<PaperEntryStatus, () => string> = {
	awaiting_second: msg.voting_paper_awaiting_second,
	confirmed: msg.voting_paper_confirmed,
	mismatch: msg.voting_paper_mismatch
};

export interface PaperBallotInput {
	ballotId: string;
	unitId: string;
	/** { [motionId]: choice } as written on the signed ballot, one answer per motion (a 受托人: the motions the 委托书 covers). */
	choices: Record<string, string>;
	/** 受托人代签: the 委托书 (proxies.id) the ballot was signed under; empty or absent for the owner's own signature. */
	proxyId?: string | null;
}

/** 录入纸质票: one member's entry of one unit's signed paper ballot. */
export async function enterPaperBallot(
	database: Database,
	actor: Actor,
	input: PaperBallotInput
): Promise<{ entryId: string; status: PaperEntryStatus; message: string }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['paper.enter'], await scopesOf(database, ballot));
	const [unit] = await database.db
		.select({ id: units.id, compoundId: units.compoundId })
		.from(units)
		.where(eq(units.id, String(input.unitId ?? '')))
		.limit(1);
	if (!unit) throw new InvalidInput(msg.voting_paper_unit_not_found(), { unitId: msg.voting_field_wrong_unit() });
	if (!ballot.compounds.some((c) => c.compoundId === unit.compoundId))
		throw new RuleBroken(msg.voting_paper_unit_outside(), 'unit_outside_ballot');
	// Entering is for the unit's own compound's 业委会, even in a joint ballot.
	requireAccess(actor, 'paper.enter', { compounds: [await compoundScope(database, unit.compoundId)] });
	const proxyId = input.proxyId ? String(input.proxyId) : null;
	// A 受托人 signs for the motions the 委托书 covers; an owner answers every motion.
	const choices = parseChoices(ballot, input.choices, proxyId === null);
	requirePaperEntryOpen(ballot, clock.now());
	if (proxyId !== null) await requireProxyForPaper(database.db, ballot, { unitId: unit.id, proxyId, choices });
	const [inElectorate] = await database.db
		.select({ unitId: electorateUnits.unitId })
		.from(electorateUnits)
		.where(and(eq(electorateUnits.ballotId, ballot.id), eq(electorateUnits.unitId, unit.id)));
	if (!inElectorate) throw new RuleBroken(msg.voting_paper_not_in_electorate(), 'not_in_electorate');
	const text = choicesJson(choices);

	return database.write(async (tx) => {
		const now = clock.now();
		const [state] = await tx.select({ closedAt: ballots.closedAt }).from(ballots).where(eq(ballots.id, ballot.id));
		requirePaperEntryOpen({ ...ballot, closedAt: state.closedAt }, now);
		if (proxyId !== null) await requireProxyForPaper(tx, ballot, { unitId: unit.id, proxyId, choices });
		if (!ballot.allowChange) {
			const [counted] = await tx
				.select({ seq: countedVotes.seq })
				.from(countedVotes)
				.where(and(eq(countedVotes.ballotId, ballot.id), eq(countedVotes.unitId, unit.id), eq(countedVotes.channel, 'paper')))
				.limit(1);
			if (counted) throw new RuleBroken(msg.voting_paper_already_voted(), 'already_voted');
		}
		const open = await tx
			.select({
				id: paperEntries.id,
				enteredBy: paperEntries.enteredBy,
				choices: paperEntries.choices,
				proxyId: paperEntries.proxyId
			})
			.from(paperEntries)
			.where(
				and(
					eq(paperEntries.ballotId, ballot.id),
					eq(paperEntries.unitId, unit.id),
					isNull(paperEntries.confirmedAt),
					isNull(paperEntries.withdrawnAt)
				)
			)
			.orderBy(asc(paperEntries.enteredAt), ENTRY_ORDER);
		const typing = { enteredBy: actor.userId, choices: text, proxyId };
		const matched = matchPaperTyping(open, typing);
		if (matched.kind === 'same_member') throw new RuleBroken(msg.voting_paper_same_member(), 'same_member');

		const entryId = newId();
		try {
			const entry = {
				id: entryId,
				ballotId: ballot.id,
				unitId: unit.id,
				enteredBy: actor.userId,
				choices: text,
				proxyId,
				enteredAt: now
			};
			await tx.insert(paperEntries).values(entry);
		} catch (error) {
			if (isUniqueViolation(error)) throw new RuleBroken(msg.voting_paper_same_member(), 'same_member');
			throw error;
		}

		const { status, match } = matched;
		if (match) {
			await tx.update(paperEntries).set({ confirmedAt: now, matchedEntryId: entryId }).where(eq(paperEntries.id, match.id));
			await tx.update(paperEntries).set({ confirmedAt: now, matchedEntryId: match.id }).where(eq(paperEntries.id, entryId));
			const units = [{ unitId: unit.id, compoundId: unit.compoundId }];
			const cast: CastRows = {
				ballotId: ballot.id,
				channel: 'paper',
				units,
				choices,
				voterUserId: null,
				proxyId,
				sourceId: entryId,
				at: now
			};
			await countPaperBallot(tx, cast, ballot.allowChange);
		}
		await audit(tx, {
			actorId: actor.userId,
			action: 'paper.enter',
			subjectType: 'ballot',
			subjectId: ballot.id,
			detail: { unitId: unit.id, entryId, status }
		});
		return { entryId, status, message: STATUS_MESSAGES[status]() };
	});
}

/** A confirmed paper ballot counts like any other: appended to cast_votes and pointed at by counted_votes. */
async function countPaperBallot(tx: Tx, cast: CastRows, allowChange: boolean): Promise<void> {
	try {
		await appendCast(tx, cast, allowChange);
	} catch (error) {
		if (!allowChange && isUniqueViolation(error)) throw new RuleBroken(msg.voting_paper_already_voted(), 'already_voted');
		throw error;
	}
}

/** 撤回录入: the author withdraws their own open entry (e.g. a typo found in reconciliation). Stamped, not deleted. */
export async function withdrawPaperEntry(database: Database, actor: Actor, input: { entryId: string }): Promise<void> {
	const [entry] = await database.db
		.select({
			id: paperEntries.id,
			ballotId: paperEntries.ballotId,
			enteredBy: paperEntries.enteredBy,
			compoundId: units.compoundId,
			confirmedAt: paperEntries.confirmedAt
		})
		.from(paperEntries)
		.innerJoin(units, eq(units.id, paperEntries.unitId))
		.where(eq(paperEntries.id, input.entryId))
		.limit(1);
	if (!entry) throw new NotFound(msg.voting_paper_entry_not_found());
	requireAccess(actor, 'paper.enter', { compounds: [await compoundScope(database, entry.compoundId)] });
	if (entry.enteredBy !== actor.userId) throw new AccessDenied(msg.voting_paper_withdraw_own());
	if (entry.confirmedAt !== null) throw new RuleBroken(msg.voting_paper_entry_counted());
	await database.write((tx) =>
		changeOnce(
			tx,
			tx
				.update(paperEntries)
				.set({ withdrawnAt: clock.now() })
				.where(and(eq(paperEntries.id, entry.id), isNull(paperEntries.withdrawnAt), isNull(paperEntries.confirmedAt)))
				.returning({ id: paperEntries.id }),
			new RuleBroken(msg.voting_paper_entry_gone()),
			{
				actorId: actor.userId,
				action: 'paper.withdraw',
				subjectType: 'ballot',
				subjectId: entry.ballotId,
				detail: { entryId: entry.id }
			}
		)
	);
}

export interface PaperMismatch {
	unitId: string;
	compoundId: string;
	label: string;
	entries: {
		entryId: string;
		enteredBy: string;
		enteredByName: string;
		enteredAt: number;
		choices: Record<string, Choice>;
		/** 受托人代签: the principal named on the 委托书 this typing gives; null for the owner's own signature. */
		proxyPrincipal: string | null;
	}[];
}

/** 待核对清单: units whose open entries by different members disagree. Neither counts until they agree. */
export async function listPaperMismatches(database: Database, actor: Actor, input: { ballotId: string }): Promise<PaperMismatch[]> {
	const ballot = await loadBallot(database.db, input.ballotId);
	const allowed = new Set(requireAnyCompound(actor, ['paper.enter', 'count.watch'], await scopesOf(database, ballot)).map((s) => s.id));
	const open = await database.db
		.select({
			entryId: paperEntries.id,
			unitId: paperEntries.unitId,
			enteredBy: paperEntries.enteredBy,
			enteredByName: users.displayName,
			enteredAt: paperEntries.enteredAt,
			choices: paperEntries.choices,
			proxyId: paperEntries.proxyId,
			proxyPrincipal: proxies.principalName,
			compoundId: electorateUnits.compoundId,
			label: sql<string>`${electorateUnits.buildingName} || ' ' || ${electorateUnits.room}`
		})
		.from(paperEntries)
		.innerJoin(
			electorateUnits,
			and(eq(electorateUnits.ballotId, paperEntries.ballotId), eq(electorateUnits.unitId, paperEntries.unitId))
		)
		.innerJoin(users, eq(users.id, paperEntries.enteredBy))
		.leftJoin(proxies, eq(proxies.id, paperEntries.proxyId))
		.where(and(eq(paperEntries.ballotId, ballot.id), isNull(paperEntries.confirmedAt), isNull(paperEntries.withdrawnAt)))
		.orderBy(asc(electorateUnits.buildingName), asc(electorateUnits.room), asc(paperEntries.enteredAt), ENTRY_ORDER);
	const byUnit = new Map<string, typeof open>();
	for (const row of open) {
		if (!allowed.has(row.compoundId)) continue;
		byUnit.set(row.unitId, [...(byUnit.get(row.unitId) ?? []), row]);
	}
	return [...byUnit.values()]
		.filter((rows) => typingsDisagree(rows))
		.map((rows) => ({
			unitId: rows[0].unitId,
			compoundId: rows[0].compoundId,
			label: rows[0].label,
			entries: rows.map((r) => ({
				entryId: r.entryId,
				enteredBy: r.enteredBy,
				enteredByName: r.enteredByName,
				enteredAt: r.enteredAt,
				choices: JSON.parse(r.choices),
				proxyPrincipal: r.proxyPrincipal
			}))
		}));
}

export interface BuildingProgress {
	compoundId: string;
	buildingId: string;
	buildingName: string;
	units: number;
	/** Units with a counted ballot in either channel. */
	votedUnits: number;
	electronicUnits: number;
	paperUnits: number;
	/** Units with a paper entry still waiting for its second entry (or in a mismatch). */
	awaitingPaperUnits: number;
	areaHundredths: number;
	votedAreaHundredths: number;
}

type BuildingTotals = Pick<BuildingProgress, 'compoundId' | 'buildingId' | 'buildingName' | 'units' | 'areaHundredths'>;

/** Per frozen electorate (live-cache.ts keeps one array per opened ballot and process): its buildings in page order. */
const buildingTotals = new WeakMap<ElectorateUnit[], BuildingTotals[]>();

function buildingsOf(ballot: BallotRecord, electorate: ElectorateUnit[]): BuildingTotals[] {
	const known = buildingTotals.get(electorate);
	if (known) return known;
	const order = new Map(ballot.compounds.map((c, i) => [c.compoundId, i]));
	const byId = new Map<string, BuildingTotals>();
	for (const unit of electorate) {
		let b = byId.get(unit.buildingId);
		if (!b) {
			b = { compoundId: unit.compoundId, buildingId: unit.buildingId, buildingName: unit.buildingName, units: 0, areaHundredths: 0 };
			byId.set(unit.buildingId, b);
		}
		b.units++;
		b.areaHundredths += unit.areaHundredths;
	}
	const sorted = [...byId.values()].sort(
		(a, b) => order.get(a.compoundId)! - order.get(b.compoundId)! || a.buildingName.localeCompare(b.buildingName, 'zh')
	);
	buildingTotals.set(electorate, sorted);
	return sorted;
}

/**
 * 分楼栋进度 for 扫楼: per building, how many units have voted and by which channel (the rooms still to visit are on the
 * 扫楼清单, scheduler/reminders.ts). The buildings and their totals come from the frozen electorate, summed once per
 * process; each load only counts, in SQL, the units that have voted, so it returns one row per building whatever the
 * size of the electorate.
 */
export async function progressByBuilding(database: Database, actor: Actor, input: { ballotId: string }): Promise<BuildingProgress[]> {
	const ballot = await loadBallot(database.db, input.ballotId);
	const allowed = new Set(requireAnyCompound(actor, ['paper.enter', 'count.watch'], await scopesOf(database, ballot)).map((s) => s.id));
	if (ballot.openedAt === null) throw new RuleBroken(msg.voting_paper_not_open());
	const [electorate, voted, awaiting] = await Promise.all([
		// Frozen at the opening: read once per process (live-cache.ts).
		cachedElectorate(database.db, ballot.id),
		// Voted units first (CROSS JOIN keeps that order): left to itself SQLite walks the whole electorate by building.
		database.db.all<{ building_id: string; units: number; electronic: number; paper: number; area: number }>(sql`
			SELECT e.building_id, count(*) AS units, sum(v.electronic) AS electronic, sum(v.paper) AS paper, sum(e.area_hundredths) AS area
			FROM (SELECT unit_id, max(channel = 'electronic') AS electronic, max(channel = 'paper') AS paper
				FROM counted_votes WHERE ballot_id = ${ballot.id} GROUP BY unit_id) v
			CROSS JOIN electorate_units e ON e.ballot_id = ${ballot.id} AND e.unit_id = v.unit_id
			GROUP BY e.building_id`),
		database.db.all<{ building_id: string; units: number }>(sql`
			SELECT e.building_id, count(DISTINCT p.unit_id) AS units
			FROM paper_entries p JOIN electorate_units e ON e.ballot_id = p.ballot_id AND e.unit_id = p.unit_id
			WHERE p.ballot_id = ${ballot.id} AND p.confirmed_at IS NULL AND p.withdrawn_at IS NULL
			GROUP BY e.building_id`)
	]);
	const votedIn = new Map(voted.map((v) => [v.building_id, v]));
	const awaitingIn = new Map(awaiting.map((a) => [a.building_id, Number(a.units)]));
	return buildingsOf(ballot, electorate)
		.filter((b) => allowed.has(b.compoundId))
		.map((b) => {
			const v = votedIn.get(b.buildingId);
			return {
				...b,
				votedUnits: Number(v?.units ?? 0),
				electronicUnits: Number(v?.electronic ?? 0),
				paperUnits: Number(v?.paper ?? 0),
				awaitingPaperUnits: awaitingIn.get(b.buildingId) ?? 0,
				votedAreaHundredths: Number(v?.area ?? 0)
			};
		});
}

export interface MyPaperEntry {
	entryId: string;
	unitLabel: string;
	/** "方案A 同意", one per motion, with the motion's title. */
	lines: string[];
	enteredAt: number;
	state: 'counted' | 'awaiting_second' | 'mismatch' | 'withdrawn';
	/** Only one's own unconfirmed entry can be taken back (撤回). */
	canWithdraw: boolean;
}

/** 扫楼: the last few entries this member typed, shown under the form with an undo for the open ones. */
export async function myRecentPaperEntries(
	database: Database,
	actor: Actor,
	input: { ballotId: string; limit?: number }
): Promise<MyPaperEntry[]> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['paper.enter'], await scopesOf(database, ballot));
	const rows = await database.db
		.select({
			id: paperEntries.id,
			unitId: paperEntries.unitId,
			choices: paperEntries.choices,
			enteredAt: paperEntries.enteredAt,
			confirmedAt: paperEntries.confirmedAt,
			withdrawnAt: paperEntries.withdrawnAt,
			buildingName: electorateUnits.buildingName,
			room: electorateUnits.room,
			proxyPrincipal: proxies.principalName,
			// Another member's open entry of the same unit that differs from this one: a mismatch to reconcile.
			others: sql<number>`(SELECT count(*) FROM paper_entries o
				WHERE o.ballot_id = paper_entries.ballot_id AND o.unit_id = paper_entries.unit_id AND o.id <> paper_entries.id
					AND o.confirmed_at IS NULL AND o.withdrawn_at IS NULL)`
		})
		.from(paperEntries)
		.innerJoin(
			electorateUnits,
			and(eq(electorateUnits.ballotId, paperEntries.ballotId), eq(electorateUnits.unitId, paperEntries.unitId))
		)
		.leftJoin(proxies, eq(proxies.id, paperEntries.proxyId))
		.where(and(eq(paperEntries.ballotId, ballot.id), eq(paperEntries.enteredBy, actor.userId)))
		.orderBy(sql`paper_entries.entered_at DESC, paper_entries.rowid DESC`)
		.limit(input.limit ?? 5);
	return rows.map((r) => {
		const choices = JSON.parse(r.choices) as Record<string, Choice>;
		const state =
			r.withdrawnAt !== null
				? 'withdrawn'
				: r.confirmedAt !== null
					? 'counted'
					: Number(r.others) > 0
						? 'mismatch'
						: 'awaiting_second';
		return {
			entryId: r.id,
			unitLabel: `${r.buildingName} ${r.room}`,
			lines: [
				...ballot.motions.filter((m) => choices[m.motionId]).map((m) => `${m.title} ${choiceWord(choices[m.motionId])}`),
				...(r.proxyPrincipal !== null ? [msg.voting_paper_signed_by_proxy({ name: r.proxyPrincipal })] : [])
			],
			enteredAt: r.enteredAt,
			state,
			canWithdraw: state === 'awaiting_second' || state === 'mismatch'
		};
	});
}

export interface PaperBallotSheet {
	unitLabel: string;
	/** Opens the entry form with this unit filled in (扫码录入). */
	entryUrl: string;
	qrDataUrl: string;
}

/**
 * 打印纸质票: one sheet per unit of one building of the frozen electorate, carrying the frozen text's
 * fingerprint, the motions, and a QR code naming ballot and unit that opens the entry form with the
 * unit filled in. The QR code holds only the ballot id, building and room — no name, no code.
 * origin: publicOrigin() — null when no trusted absolute address exists (then nothing is printed).
 */
export async function printablePaperBallots(
	database: Database,
	actor: Actor,
	input: { ballotId: string; compoundId: string; buildingName: string; origin: string | null }
): Promise<PaperBallotSheet[]> {
	const ballot = await loadBallot(database.db, input.ballotId);
	if (!ballot.compounds.some((c) => c.compoundId === input.compoundId)) throw new NotFound(msg.voting_paper_no_compound());
	requireAccess(actor, 'paper.enter', { compounds: [await compoundScope(database, input.compoundId)] });
	if (input.origin === null) throw new InvalidInput(originNeededMessage());
	const rows = await database.db
		.select({ buildingName: electorateUnits.buildingName, room: electorateUnits.room })
		.from(electorateUnits)
		.where(
			and(
				eq(electorateUnits.ballotId, ballot.id),
				eq(electorateUnits.compoundId, input.compoundId),
				eq(electorateUnits.buildingName, input.buildingName)
			)
		);
	const sorted = rows.sort((a, b) => a.room.localeCompare(b.room, 'zh-CN', { numeric: true }));
	const origin = input.origin;
	return Promise.all(
		sorted.map(async (u) => {
			const query = new URLSearchParams({ building: `${input.compoundId}|${u.buildingName}`, room: u.room });
			const entryUrl = `${origin}/manage/ballots/${ballot.id}?${query}#paper-form`;
			return {
				unitLabel: `${u.buildingName} ${u.room}`,
				entryUrl,
				qrDataUrl: await QRCode.toDataURL(entryUrl, { errorCorrectionLevel: 'M', margin: 2, width: 200 })
			};
		})
	);
}
