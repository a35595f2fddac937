/**
 * The published outcome record (公示) as one JSON document. Its SHA-256 over canonical JSON is
 * the record's hash; each document names the hash of the record published before it (one chain
 * per installation), so a changed figure or word anywhere breaks the chain from that point on.
 *
 * Format "yishi-outcome-record". Change the shape only by adding a version: old hashes were
 * computed over old documents and must stay checkable.
 * - v1: the public vote export served with the record lists every unit's area, owner key, choice
 *   and time (rooms hidden or masked), and `unitVotes` may list masked per-unit choices.
 * - v2 (publication without exposure): the public record keeps only aggregates; `unitVotes` is
 *   empty; `voteExport` commits by SHA-256 and Merkle root to the per-unit export, which only the
 *   compound's owners, its scrutineers and the 居委 may download (each download audited).
 * - v3: as v2, plus per-building turnout for groups of at least 5 units (`turnoutByBuilding`,
 *   turnout.ts) and, for owners' votes, how many persons whose units voted differently the 业委会
 *   settled and how each counts (`ballot.personSettlements`, no units, no owners).
 */
import type { BuildingTurnout } from './turnout.ts';
import type { SettlementSummary } from '../voting/mixed-choices.ts';
import type { BallotPeriods } from '../time/ballot-periods.ts';
import type { CalendarUse } from '../time/periods.ts';
import type { TallyResult } from '../voting/types.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import type { UnitVotePublication } from './masking.ts';

export const RECORD_FORMAT = 'yishi-outcome-record';
/** The version new records are published in. */
export const RECORD_VERSION = 3;
/** Every version a verifier accepts. */
export const RECORD_VERSIONS: readonly number[] = [1, 2, 3];

/** v2 and later: no per-unit row in the public record; the per-unit export is not public. */
export function perUnitExportIsPublic(doc: Pick<RecordDocument, 'version'>): boolean {
	return doc.version === 1;
}

export type RecordStage = 'preliminary' | 'final';

export const STAGE_LABELS: Record<RecordStage, string> = { preliminary: '公示（询异期）', final: '正式公告' };

export interface MinutesEntry {
	/** e.g. "第二次协商会". */
	title: string;
	/** YYYY-MM-DD, China calendar. */
	date: string;
	summary: string;
}

export interface DissentEntry {
	/** Which side raised it, e.g. "虹桥小区部分业主"; never a person's name. */
	from: string;
	summary: string;
}

export interface CompoundInRecord {
	compoundId: string;
	name: string;
	committee: string;
	street: string;
	nonVoterRule: string;
	nonVoterRuleLabel: string;
	unitVotes: UnitVotePublication;
	/** 业委会 signed the count: when, and as which body (no names). */
	countSignedAt: string;
	countSignedBy: string;
}

export interface MaskedUnitVote {
	/** "3号楼 5**". */
	unit: string;
	choices: { motionId: string; choice: 'yes' | 'no' | 'abstain' }[];
}

export interface RecordContent {
	title: string;
	/** What exactly was decided, in plain words. */
	question: string;
	ballot: {
		ballotId: string;
		ruleKind: string;
		ruleLabel: string;
		legalBasis: string;
		legallyBinding: boolean;
		bothChannelsRule: string | null;
		bothChannelsRuleLabel: string | null;
		opensAt: string;
		closesAt: string;
		closedAt: string;
		/** Records since the rest-day calendar: the notice period and voting window, the rule and the calendar version. */
		periods?: BallotPeriods;
		/** Set when the count closed later than closesAt: when and why. */
		closeDelayReason?: string;
		/** 业主变更登记 confirmed under double control during the vote: how many and why (no names, no rooms). */
		ownerChanges?: { count: number; reasons: string[] };
		/** v3, owners' votes: persons whose units voted differently, as settled by two 业委会 members (no units, no owners). */
		personSettlements?: SettlementSummary;
	};
	/** The frozen final text of each alternative and its SHA-256 (from the drafting module). */
	motions: { motionId: string; title: string; text: string | null; textHash: string | null }[];
	compounds: CompoundInRecord[];
	/** The tally as frozen at close; every figure in it is re-derivable from the vote export. */
	result: TallyResult;
	/**
	 * v1: SHA-256 of the canonical JSON of the public vote export published with this record.
	 * v2: SHA-256 of the per-unit export (open to the compound's owners, scrutineers and 居委), and
	 * the Merkle root over its counted rows that owners' inclusion proofs lead to.
	 */
	voteExport: { format: string; version: number; sha256: string; merkleRoot?: string; leafCount?: number };
	minutes: MinutesEntry[];
	/** 主要反对意见: the main arguments against, summarised. */
	dissent: DissentEntry[];
	convenedBy: string;
	publishedBy: string;
	/** 监票人 co-signatures of the count (role and time only). */
	cosignedBy: { role: string; at: string }[];
	/** v1: per-unit votes, only for compounds that chose to publish them, and only masked. v2: always empty. */
	unitVotes: { compoundId: string; units: MaskedUnitVote[] }[];
	/** v3: per-building turnout, only for groups of at least 5 units (turnout.ts). */
	turnoutByBuilding?: BuildingTurnout;
}

export interface PublicObjection {
	id: string;
	/** "爱建小区一位已核验的业主". */
	filedBy: string;
	filedAt: string;
	text: string;
	answer: { text: string; answeredBy: string; answeredAt: string } | null;
	/** The record version it was filed against. */
	recordId: string;
}

export interface RecordDocument {
	format: typeof RECORD_FORMAT;
	version: 1 | 2 | 3;
	id: string;
	/** Position in the installation's chain, from 1. */
	seq: number;
	/** The decided matter: every version of one record (preliminary, corrections, final) shares it. */
	itemId: string;
	versionNo: number;
	stage: RecordStage;
	/** The version this one replaces (the preliminary for a final record, the corrected one for a correction). */
	supersedesId: string | null;
	correction: { reason: string } | null;
	publishedAt: string;
	/** Since the rest-day calendar, also the day the count reached, the rule applied and the calendar used. */
	dispute: {
		days: number;
		firstDay: string;
		lastDay: string;
		endsAt: string;
		nominalLastDay?: string;
		rule?: string;
		calendar?: CalendarUse;
	} | null;
	content: RecordContent;
	/** Final records carry every objection filed during the window, with its public answer. */
	objections: PublicObjection[];
	/** Hash of the record with seq − 1; null for the first record. */
	prevHash: string | null;
}

export function hashDocument(doc: RecordDocument): { canonical: string; hash: string } {
	const canonical = canonicalJson(doc);
	return { canonical, hash: sha256Hex(canonical) };
}
