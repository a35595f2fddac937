/**
 * 公示: the 业委会 of each compound signs the closed count; the 居委 publishes a preliminary
 * record with a dispute window (询异公示); after the window, with every objection answered, the
 * final record (正式公告). Corrections are new versions that name the one they replace. Every
 * record is appended to one hash chain inside the write that creates it.
 */
import type { BallotPeriods } from '../../domain/time/ballot-periods.ts';
import type { RestDayCalendar } from '../../domain/time/calendar.ts';
import { loadCalendar } from '../scheduler/calendar.ts';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { chinaYear } from '../../domain/time/china-date.ts';
import { formatDate } from '../../i18n/format.ts';
import { m as msg } from '../../paraglide/messages.js';
import {
	DEFAULT_DISPUTE_DAYS,
	buildingTurnout,
	MAX_DISPUTE_DAYS,
	MIN_DISPUTE_DAYS,
	RECORD_FORMAT,
	RECORD_VERSION,
	canonicalJson,
	disputeWindow,
	hashDocument,
	maskPersonalNumbers,
	publicFilerLabel,
	publicVoteExport,
	type DissentEntry,
	type MinutesEntry,
	type PublicObjection,
	type RecordContent,
	type RecordDocument,
	type UnitVotePublication,
	unitExportCommitment
} from '../../domain/records/index.ts';
import { NON_VOTER_RULE_LABELS, settlementSummary, type VoteExport } from '../../domain/voting/index.ts';
import { compoundScope, compoundScopes, requireAccess } from '../access.ts';
import type { Database, Tx } from '../db/client.ts';
import {
	ballots,
	countSignatures,
	orgNodes,
	outcomeRecordPlaces,
	outcomeRecords,
	recordObjectionAnswers,
	recordObjections
} from '../db/schema/index.ts';
import { InvalidInput, RuleBroken, refuseDuplicate } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { requireChinaDay } from '../util/dates.ts';
import { newId } from '../util/ids.ts';
import { loadBallot, loadBallotExport, type BallotRecord } from '../voting/common.ts';
import {
	documentOf,
	iso,
	itemVersionMetas,
	latestVersion,
	loadRecord,
	verifiedDocument,
	placesOf,
	requirePublisher,
	type Place,
	type RecordRow
} from './common.ts';

// ─── signing the count ──────────────────────────────────────────────────────────────────────

/**
 * 业委会签字确认计票结果: one signature per participating compound, by its own 业委会, after the
 * count is closed. The 业委会 also decides here whether its compound's per-unit votes are
 * published (always masked, e.g. "3号楼 5**"); the default is not to publish them.
 */
export async function signCount(
	database: Database,
	actor: Actor,
	input: { ballotId: string; compoundId: string; unitVotes?: UnitVotePublication }
): Promise<{ signedAt: number }> {
	requireAccess(actor, 'count.close', { compounds: [await compoundScope(database, input.compoundId)] });
	const ballot = await loadBallot(database.db, input.ballotId);
	if (!ballot.compounds.some((c) => c.compoundId === input.compoundId)) throw new RuleBroken(msg.records_error_compound_not_in_ballot());
	if (ballot.closedAt === null) throw new RuleBroken(msg.records_error_sign_after_count());
	const unitVotes = input.unitVotes ?? 'none';
	if (unitVotes !== 'none' && unitVotes !== 'masked') throw new InvalidInput(msg.records_error_choose_unit_votes());
	const now = clock.now();
	await refuseDuplicate(
		database.write(async (tx) => {
			await tx.insert(countSignatures).values({
				ballotId: ballot.id,
				compoundId: input.compoundId,
				role: 'owners_committee',
				signedBy: actor.userId,
				signedAt: now,
				unitVotes
			});
			await audit(tx, {
				actorId: actor.userId,
				action: 'count.sign',
				subjectType: 'ballot',
				subjectId: ballot.id,
				detail: { compoundId: input.compoundId, unitVotes }
			});
		}),
		new RuleBroken(msg.records_error_already_signed())
	);
	return { signedAt: now };
}

/** 监票人会签: a scrutineer co-signs the closed count (optional; shown on the record when present). */
export async function cosignCount(database: Database, actor: Actor, input: { ballotId: string }): Promise<{ signedAt: number }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAccess(actor, 'record.cosign', {
		compounds: await compoundScopes(
			database,
			ballot.compounds.map((c) => c.compoundId)
		)
	});
	if (ballot.closedAt === null) throw new RuleBroken(msg.records_error_cosign_after_count());
	const now = clock.now();
	await refuseDuplicate(
		database.write(async (tx) => {
			await tx
				.insert(countSignatures)
				.values({ ballotId: ballot.id, compoundId: '*', role: 'scrutineer', signedBy: actor.userId, signedAt: now });
			await audit(tx, { actorId: actor.userId, action: 'count.cosign', subjectType: 'ballot', subjectId: ballot.id });
		}),
		new RuleBroken(msg.records_error_already_cosigned())
	);
	return { signedAt: now };
}

// ─── the record's content ───────────────────────────────────────────────────────────────────

/**
 * What the 居委 adds to the count. The agenda module (minutes, arguments) is being written
 * beside this one; until it offers them, minutes and the dissent summary come in explicitly.
 */
export interface RecordDetails {
	/** What exactly was decided; defaults to the ballot's title. */
	question?: string;
	minutes?: MinutesEntry[];
	/** 主要反对意见. */
	dissent?: DissentEntry[];
	/** 召集单位; defaults to the compounds' 业委会. */
	convenedBy?: string;
}

export interface PublishRecordInput extends RecordDetails {
	ballotId: string;
	/** 询异期 in days, counted from the day after publication; default 7. */
	disputeDays?: number;
}

const MAX_TEXT = 4000;

function cleanText(value: unknown, field: string, label: string, max = MAX_TEXT, required = false): string {
	const text = typeof value === 'string' ? value.trim().replace(/\r\n?/g, '\n') : '';
	if (required && text.length === 0)
		throw new InvalidInput(msg.records_error_fill_in({ label }), { [field]: msg.records_error_field_fill_in() });
	if (text.length > max)
		throw new InvalidInput(msg.records_error_too_long({ what: label, max }), { [field]: msg.records_error_field_too_long() });
	return text;
}

function cleanDetails(details: RecordDetails, ballot: BallotRecord, places: Place[]): Required<RecordDetails> {
	const minutes = (details.minutes ?? []).map((m, i) => {
		const date = String(m?.date ?? '').trim();
		requireChinaDay(date, 'minutes', msg.records_error_minutes_date({ n: i + 1 }));
		return {
			title: cleanText(m?.title, 'minutes', msg.records_publish_meeting_name(), 100, true),
			date,
			summary: maskPersonalNumbers(cleanText(m?.summary, 'minutes', msg.records_error_what_minutes(), MAX_TEXT, true))
		};
	});
	const dissent = (details.dissent ?? []).map((d) => ({
		from: cleanText(d?.from, 'dissent', msg.records_error_what_dissent_from(), 100, true),
		summary: maskPersonalNumbers(cleanText(d?.summary, 'dissent', msg.records_error_what_dissent(), MAX_TEXT, true))
	}));
	return {
		question: cleanText(details.question, 'question', msg.records_publish_question(), 1000) || ballot.title,
		minutes,
		dissent,
		convenedBy:
			cleanText(details.convenedBy, 'convenedBy', msg.records_publish_convened_by(), 200) ||
			places.map((p) => `${p.compound}业主委员会`).join('、')
	};
}

/** The per-ballot pseudonym of a unit id in the per-unit export (the receipts service finds an owner's rows by it). */
export function unitPseudonym(salt: string) {
	return (unitId: string) =>
		'u' + encodeHexLowerCase(hmac(SHA256, new TextEncoder().encode(salt), new TextEncoder().encode(`unit:${unitId}`))).slice(0, 16);
}

async function buildContent(
	database: Database,
	ballot: BallotRecord,
	details: Required<RecordDetails>,
	places: Place[],
	publishedBy: string
): Promise<{ content: RecordContent; exportText: string }> {
	const closedAt = ballot.closedAt;
	const exportJson = closedAt === null ? null : await loadBallotExport(database.db, ballot.id);
	if (closedAt === null || exportJson === null) throw new RuleBroken(msg.records_error_count_open());
	const signatures = await database.db
		.select()
		.from(countSignatures)
		.where(eq(countSignatures.ballotId, ballot.id))
		.orderBy(asc(countSignatures.signedAt));
	const committeeSigned = new Map(signatures.filter((s) => s.role === 'owners_committee').map((s) => [s.compoundId, s]));
	const missing = ballot.compounds.filter((c) => !committeeSigned.has(c.compoundId));
	if (missing.length > 0)
		throw new RuleBroken(
			msg.records_error_unsigned({ compounds: missing.map((c) => c.name).join(msg.records_reason_parts_separator()) }),
			'unsigned'
		);

	const exportDoc = JSON.parse(exportJson) as VoteExport;
	// Record v2: no per-unit row is ever public, so no compound's units are shown, not even masked.
	// The per-unit export (unit ids pseudonymised per ballot, buildings and rooms hidden) is stored
	// with the record for the compound's owners, scrutineers and 居委; the record commits to it.
	const publication: Record<string, UnitVotePublication> = Object.fromEntries(
		ballot.compounds.map((c) => [c.compoundId, 'none' as const])
	);
	const unitsExport = publicVoteExport(exportDoc, unitPseudonym(ballot.salt), publication);
	const placeOf = new Map(places.map((p) => [p.compoundId, p]));
	const content: RecordContent = {
		title: ballot.title,
		question: details.question,
		ballot: {
			ballotId: ballot.id,
			ruleKind: exportDoc.result.ruleKind,
			ruleLabel: exportDoc.result.ruleLabel,
			legalBasis: exportDoc.result.legalBasis,
			legallyBinding: exportDoc.result.legallyBinding,
			bothChannelsRule: exportDoc.result.bothChannelsRule,
			bothChannelsRuleLabel: exportDoc.result.bothChannelsRuleLabel,
			opensAt: iso(ballot.opensAt),
			closesAt: iso(ballot.closesAt),
			closedAt: iso(closedAt),
			// Only ballots created since the rest-day calendar carry their periods; older ones hash as before.
			...(ballot.periodsJson ? { periods: JSON.parse(ballot.periodsJson) as BallotPeriods } : {}),
			...(ballot.closeDelayReason ? { closeDelayReason: ballot.closeDelayReason } : {}),
			// Owner changes during the vote are stated on the record itself, not only in the per-unit export.
			...(exportDoc.ownerChanges && exportDoc.ownerChanges.count > 0 ? { ownerChanges: exportDoc.ownerChanges } : {}),
			// Record v3: how persons whose units voted differently were settled (exports since settlements exist).
			...(exportDoc.personSettlements ? { personSettlements: settlementSummary(exportDoc.personSettlements) } : {})
		},
		motions: ballot.motions.map((m) => ({ motionId: m.motionId, title: m.title, text: m.text, textHash: m.textHash })),
		compounds: ballot.compounds.map((c) => {
			const sig = committeeSigned.get(c.compoundId)!;
			const place = placeOf.get(c.compoundId);
			return {
				compoundId: c.compoundId,
				name: c.name,
				committee: place?.committee ?? '',
				street: place?.street ?? '',
				nonVoterRule: c.nonVoterRule,
				nonVoterRuleLabel: NON_VOTER_RULE_LABELS[c.nonVoterRule],
				unitVotes: 'none',
				countSignedAt: iso(sig.signedAt),
				countSignedBy: `${c.name}业主委员会`
			};
		}),
		result: exportDoc.result,
		voteExport: unitExportCommitment(unitsExport),
		minutes: details.minutes,
		dissent: details.dissent,
		convenedBy: details.convenedBy,
		publishedBy,
		cosignedBy: signatures.filter((s) => s.role === 'scrutineer').map((s) => ({ role: '监票人', at: iso(s.signedAt) })),
		unitVotes: [],
		// Record v3: per-building turnout, never a group of fewer than 5 units.
		...(exportDoc.rosters.length > 0 ? { turnoutByBuilding: buildingTurnout(exportDoc) } : {})
	};
	// Refuses floats or anything not canonical before it is ever stored.
	canonicalJson(content);
	return { content, exportText: canonicalJson(unitsExport) };
}

function publisherName(places: Place[]): string {
	return [...new Set(places.map((p) => p.committee).filter(Boolean))].map((c) => `${c}居民委员会`).join('、') || '居民委员会';
}

// ─── appending to the chain ─────────────────────────────────────────────────────────────────

type NewVersion = Omit<RecordDocument, 'format' | 'version' | 'seq' | 'prevHash'> & {
	ballotId: string;
	publishedAtMs: number;
	disputeEndsAtMs: number | null;
};

/**
 * Appends one record at the chain's head, inside the caller's write: reads the last link, hashes
 * the new document over it and inserts. The unique index on seq (and on item + version) is what
 * keeps two writers from forking the chain; the write queue makes such a race rare, not possible.
 */
async function appendRecord(
	tx: Tx,
	version: NewVersion,
	actorId: string,
	exportText: string,
	places: Place[] | null
): Promise<{ id: string; seq: number; hash: string }> {
	const [last] = await tx
		.select({ seq: outcomeRecords.seq, hash: outcomeRecords.hash })
		.from(outcomeRecords)
		.orderBy(desc(outcomeRecords.seq))
		.limit(1);
	const seq = (last?.seq ?? 0) + 1;
	const { ballotId, publishedAtMs, disputeEndsAtMs, ...rest } = version;
	const doc: RecordDocument = { format: RECORD_FORMAT, version: RECORD_VERSION, ...rest, seq, prevHash: last?.hash ?? null };
	const { canonical, hash } = hashDocument(doc);
	await refuseDuplicate(
		tx.insert(outcomeRecords).values({
			id: doc.id,
			seq,
			itemId: doc.itemId,
			versionNo: doc.versionNo,
			stage: doc.stage,
			supersedesId: doc.supersedesId,
			ballotId,
			title: doc.content.title,
			publishedAt: publishedAtMs,
			publishedBy: actorId,
			disputeEndsAt: disputeEndsAtMs,
			year: chinaYear(publishedAtMs),
			document: canonical,
			hash,
			prevHash: doc.prevHash,
			voteExport: exportText
		}),
		new RuleBroken(msg.records_error_conflict(), 'conflict')
	);
	if (places) {
		const rows = new Map<string, { itemId: string; nodeId: string; kind: 'street' | 'cluster' | 'committee' | 'compound' }>();
		for (const p of places) {
			rows.set(p.compoundId, { itemId: doc.itemId, nodeId: p.compoundId, kind: 'compound' });
			if (p.committeeId) rows.set(p.committeeId, { itemId: doc.itemId, nodeId: p.committeeId, kind: 'committee' });
			if (p.clusterId) rows.set(p.clusterId, { itemId: doc.itemId, nodeId: p.clusterId, kind: 'cluster' });
			if (p.streetId) rows.set(p.streetId, { itemId: doc.itemId, nodeId: p.streetId, kind: 'street' });
		}
		await tx.insert(outcomeRecordPlaces).values([...rows.values()]);
	}
	await audit(tx, {
		actorId,
		action: `record.${doc.stage}`,
		subjectType: 'outcome_record',
		subjectId: doc.id,
		detail: { seq, hash, itemId: doc.itemId, versionNo: doc.versionNo }
	});
	return { id: doc.id, seq, hash };
}

function disputeDaysOf(value: unknown): number {
	const days = value === undefined || value === null || value === '' ? DEFAULT_DISPUTE_DAYS : Number(value);
	if (!Number.isInteger(days) || days < MIN_DISPUTE_DAYS || days > MAX_DISPUTE_DAYS) {
		throw new InvalidInput(msg.records_error_dispute_days({ min: MIN_DISPUTE_DAYS, max: MAX_DISPUTE_DAYS }), {
			disputeDays: msg.records_error_field_days()
		});
	}
	return days;
}

/** The dispute window of a new record under 民法典 arts. 201/203 with the installation's calendar; the record states both. */
function disputeOf(publishedAt: number, days: number, calendar: RestDayCalendar) {
	const w = disputeWindow(publishedAt, days, calendar);
	return {
		doc: {
			days,
			firstDay: w.firstDay,
			lastDay: w.lastDay,
			endsAt: iso(w.endsAt),
			nominalLastDay: w.nominalLastDay,
			rule: w.rule,
			calendar: w.calendar
		},
		endsAt: w.endsAt
	};
}

// ─── publishing ─────────────────────────────────────────────────────────────────────────────

/** Everything a preliminary record will say, checked as publishing checks it; nothing is written. */
async function preparePreliminary(database: Database, actor: Actor, input: PublishRecordInput) {
	const ballot = await loadBallot(database.db, String(input.ballotId ?? ''));
	const compoundIds = ballot.compounds.map((c) => c.compoundId);
	requirePublisher(actor, await compoundScopes(database, compoundIds));
	const days = disputeDaysOf(input.disputeDays);
	const [existing] = await database.db
		.select({ id: outcomeRecords.id })
		.from(outcomeRecords)
		.where(eq(outcomeRecords.ballotId, ballot.id))
		.limit(1);
	if (existing) throw new RuleBroken(msg.records_error_already_published(), 'already_published');
	const places = await placesOf(database, compoundIds);
	const details = cleanDetails(input, ballot, places);
	const { content, exportText } = await buildContent(database, ballot, details, places, publisherName(places));
	const now = clock.now();
	const dispute = disputeOf(now, days, await loadCalendar(database.db));
	return { ballot, places, content, exportText, now, dispute };
}

export interface RecordPreview {
	content: RecordContent;
	/** As the record will state it if published now (the window counts from the day after publication). */
	dispute: NonNullable<RecordDocument['dispute']>;
	publishedAt: string;
}

/**
 * 发布公示 asks first: the record exactly as it would be published now — result, per-compound
 * figures, motions and their fingerprints, thresholds, periods, dispute window — built by the same
 * code as publishing, with the same checks, and nothing written (the hash chain is append-only).
 */
export async function previewPreliminaryRecord(database: Database, actor: Actor, input: PublishRecordInput): Promise<RecordPreview> {
	const { content, now, dispute } = await preparePreliminary(database, actor, input);
	return { content, dispute: dispute.doc, publishedAt: iso(now) };
}

/** 发布公示（询异期）: the first, preliminary record of a closed and signed count. */
export async function publishPreliminaryRecord(
	database: Database,
	actor: Actor,
	input: PublishRecordInput
): Promise<{ recordId: string; hash: string; disputeEndsAt: number }> {
	const { ballot, places, content, exportText, now, dispute } = await preparePreliminary(database, actor, input);
	const id = newId();
	const result = await database.write(async (tx) => {
		const [again] = await tx
			.select({ id: outcomeRecords.id })
			.from(outcomeRecords)
			.where(eq(outcomeRecords.ballotId, ballot.id))
			.limit(1);
		if (again) throw new RuleBroken(msg.records_error_already_published(), 'already_published');
		return appendRecord(
			tx,
			{
				id,
				itemId: id,
				versionNo: 1,
				stage: 'preliminary',
				supersedesId: null,
				correction: null,
				publishedAt: iso(now),
				dispute: dispute.doc,
				content,
				objections: [],
				ballotId: ballot.id,
				publishedAtMs: now,
				disputeEndsAtMs: dispute.endsAt
			},
			actor.userId,
			exportText,
			places
		);
	});
	return { recordId: result.id, hash: result.hash, disputeEndsAt: dispute.endsAt };
}

/** The current version must be the one acted on: acting on a superseded version is refused. */
async function requireCurrent(database: Database, recordId: string): Promise<{ row: RecordRow; doc: RecordDocument }> {
	const row = await loadRecord(database.db, recordId);
	const latest = await latestVersion(database.db, row.itemId);
	if (latest.id !== row.id) throw new RuleBroken(msg.records_error_superseded_manage(), 'superseded');
	return { row, doc: documentOf(row) };
}

/**
 * Objections of an item as published: no names, personal numbers masked. `publisher`: who answers
 * (the first version's publishedBy) when the caller already has it.
 */
export async function publicObjections(database: Database, itemId: string, publisher?: string): Promise<PublicObjection[]> {
	const rows = await database.db
		.select({
			id: recordObjections.id,
			recordId: recordObjections.recordId,
			relation: recordObjections.relation,
			compoundName: orgNodes.name,
			body: recordObjections.body,
			filedAt: recordObjections.filedAt,
			answer: recordObjectionAnswers.body,
			answeredAt: recordObjectionAnswers.answeredAt
		})
		.from(recordObjections)
		.innerJoin(orgNodes, eq(orgNodes.id, recordObjections.compoundId))
		.leftJoin(recordObjectionAnswers, eq(recordObjectionAnswers.objectionId, recordObjections.id))
		.where(eq(recordObjections.itemId, itemId))
		// Filing order: rowid breaks ties between objections filed in the same millisecond.
		.orderBy(asc(recordObjections.filedAt), sql`${recordObjections}.rowid`);
	if (publisher === undefined && rows.length > 0) {
		const versions = await itemVersionMetas(database.db, itemId);
		publisher = versions.length ? (await verifiedDocument(database.db, versions[0])).doc.content.publishedBy : '居民委员会';
	}
	return rows.map((r) => ({
		id: r.id,
		recordId: r.recordId,
		filedBy: publicFilerLabel(r.compoundName, r.relation),
		filedAt: iso(r.filedAt),
		text: maskPersonalNumbers(r.body),
		answer:
			r.answer === null
				? null
				: { text: maskPersonalNumbers(r.answer), answeredBy: publisher ?? '居民委员会', answeredAt: iso(r.answeredAt!) }
	}));
}

/** The version after `row` (final, or a correction), published now by the actor at the chain's head. */
async function nextVersion(
	database: Database,
	actor: Actor,
	row: RecordRow,
	now: number,
	fields: Pick<NewVersion, 'stage' | 'correction' | 'dispute' | 'content' | 'objections' | 'disputeEndsAtMs'>
): Promise<{ recordId: string; hash: string }> {
	const version: NewVersion = {
		id: newId(),
		itemId: row.itemId,
		versionNo: row.versionNo + 1,
		supersedesId: row.id,
		publishedAt: iso(now),
		ballotId: row.ballotId,
		publishedAtMs: now,
		...fields
	};
	const result = await database.write((tx) => appendRecord(tx, version, actor.userId, row.voteExport, null));
	return { recordId: result.id, hash: result.hash };
}

/**
 * 正式公告: after the dispute window, with every objection answered, the final record — the
 * preliminary's content plus the objections and their answers.
 */
export async function finaliseRecord(
	database: Database,
	actor: Actor,
	input: { recordId: string }
): Promise<{ recordId: string; hash: string }> {
	const first = await loadRecord(database.db, String(input.recordId ?? ''));
	requirePublisher(
		actor,
		await compoundScopes(
			database,
			documentOf(first).content.compounds.map((c) => c.compoundId)
		)
	);
	const { row, doc } = await requireCurrent(database, first.id);
	if (doc.stage !== 'preliminary') throw new RuleBroken(msg.records_error_already_final());
	const now = clock.now();
	if (row.disputeEndsAt !== null && now < row.disputeEndsAt) {
		throw new RuleBroken(msg.records_error_window_open({ date: formatDate(row.disputeEndsAt - 1) }), 'window_open');
	}
	const objections = await publicObjections(database, row.itemId);
	const unanswered = objections.filter((o) => o.answer === null).length;
	if (unanswered > 0) throw new RuleBroken(msg.records_error_unanswered({ count: unanswered }), 'unanswered');
	return nextVersion(database, actor, row, now, {
		stage: 'final',
		correction: null,
		dispute: doc.dispute,
		content: doc.content,
		objections,
		disputeEndsAtMs: null
	});
}

/**
 * 更正: a new version replacing the current one, with the reason stated. The count itself is
 * frozen with the ballot, so a correction changes the words around it (question, minutes, dissent,
 * convenor). A corrected preliminary record starts a fresh dispute window.
 */
export async function publishCorrection(
	database: Database,
	actor: Actor,
	input: RecordDetails & { recordId: string; reason: string; disputeDays?: number }
): Promise<{ recordId: string; hash: string }> {
	const first = await loadRecord(database.db, String(input.recordId ?? ''));
	const compoundIds = documentOf(first).content.compounds.map((c) => c.compoundId);
	requirePublisher(actor, await compoundScopes(database, compoundIds));
	const { row, doc } = await requireCurrent(database, first.id);
	const reason = cleanText(input.reason, 'reason', msg.records_manage_correct_reason(), 500, true);
	const ballot = await loadBallot(database.db, row.ballotId);
	const places = await placesOf(database, compoundIds);
	const details = cleanDetails(
		{
			question: input.question ?? doc.content.question,
			minutes: input.minutes ?? doc.content.minutes,
			dissent: input.dissent ?? doc.content.dissent,
			convenedBy: input.convenedBy ?? doc.content.convenedBy
		},
		ballot,
		places
	);
	const content: RecordContent = { ...doc.content, ...details };
	canonicalJson(content);
	const now = clock.now();
	const dispute =
		doc.stage === 'preliminary'
			? disputeOf(now, disputeDaysOf(input.disputeDays ?? doc.dispute?.days), await loadCalendar(database.db))
			: null;
	const objections = doc.stage === 'final' ? await publicObjections(database, row.itemId) : [];
	return nextVersion(database, actor, row, now, {
		stage: doc.stage,
		correction: { reason },
		dispute: dispute ? dispute.doc : doc.dispute,
		content,
		objections,
		disputeEndsAtMs: dispute ? dispute.endsAt : null
	});
}

/** Closed ballots the actor can sign or publish, with where each stands. For the staff pages. */
export async function listPublishable(database: Database, actor: Actor) {
	const closed = await database.db
		.select({ id: ballots.id })
		.from(ballots)
		.where(isNotNull(ballots.closedAt))
		.orderBy(desc(ballots.closedAt));
	const out = [];
	for (const { id } of closed) {
		const ballot = await loadBallot(database.db, id);
		const scopes = await compoundScopes(
			database,
			ballot.compounds.map((c) => c.compoundId)
		);
		const canPublish = scopes.every((s) => decide(actor, 'record.publish', { compounds: [s] }).allowed);
		const canSign = scopes.filter((s) => decide(actor, 'count.close', { compounds: [s] }).allowed).map((s) => s.id);
		const canCosign = decide(actor, 'record.cosign', { compounds: scopes }).allowed;
		if (!canPublish && canSign.length === 0 && !canCosign) continue;
		const sigs = await database.db.select().from(countSignatures).where(eq(countSignatures.ballotId, id));
		const [record] = await database.db
			.select({ id: outcomeRecords.id, itemId: outcomeRecords.itemId })
			.from(outcomeRecords)
			.where(eq(outcomeRecords.ballotId, id))
			.limit(1);
		out.push({
			ballotId: id,
			title: ballot.title,
			closedAt: ballot.closedAt!,
			compounds: ballot.compounds.map((c) => ({
				compoundId: c.compoundId,
				name: c.name,
				signed: sigs.some((s) => s.role === 'owners_committee' && s.compoundId === c.compoundId),
				canSign: canSign.includes(c.compoundId)
			})),
			cosigned: sigs.some((s) => s.role === 'scrutineer'),
			canCosign,
			canPublish,
			recordItemId: record?.itemId ?? null
		});
	}
	return out;
}
