/**
 * The per-unit export of a published record (v2) and owners' receipts. The public record keeps
 * only aggregates and commits to this export by hash and Merkle root; the export itself is open
 * to the compound's owners, its scrutineers and the 居委 (SPC interpretation art. 13), and every
 * download is in the audit log.
 */
import { decide, type Actor } from '../../domain/access/policy.ts';
import { inclusionProofs, perUnitExportIsPublic, type InclusionProof, type RecordDocument } from '../../domain/records/index.ts';
import type { VoteExport } from '../../domain/voting/index.ts';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import { AccessDenied, RuleBroken } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { audit } from '../util/audit.ts';
import { loadBallot } from '../voting/common.ts';
import { documentOf, loadRecord, type RecordRow } from './common.ts';
import { unitPseudonym } from './publish.ts';

/**
 * A joint record covers several compounds; an owner, scrutineer or 居委 worker of any one of them
 * may inspect it (the joint result needs every compound's rows to recount).
 */
async function requireUnitsReader(database: Database, actor: Actor | null, doc: RecordDocument): Promise<Actor> {
	const scopes = await compoundScopes(
		database,
		doc.content.compounds.map((c) => c.compoundId)
	);
	let refusal: string = m.records_error_sign_in();
	for (const scope of scopes) {
		const decision = decide(actor, 'record.export_units', { compounds: [scope] });
		if (decision.allowed) return actor as Actor;
		refusal = decision.reason;
	}
	throw new AccessDenied(refusal);
}

/** Whether the actor may download the per-unit export (for showing the link). */
export async function mayDownloadUnitExport(database: Database, actor: Actor | null, doc: RecordDocument): Promise<boolean> {
	if (!actor) return false;
	try {
		await requireUnitsReader(database, actor, doc);
		return true;
	} catch (error) {
		if (error instanceof AccessDenied) return false;
		throw error;
	}
}

/** 下载分户表决数据: the export exactly as committed (its canonical text), the download audited. */
export async function downloadUnitExport(
	database: Database,
	actor: Actor | null,
	recordId: string
): Promise<{ filename: string; text: string }> {
	const row = await loadRecord(database.db, recordId);
	const doc = documentOf(row);
	const reader = await requireUnitsReader(database, actor, doc);
	await database.write((tx) =>
		audit(tx, {
			actorId: reader.userId,
			action: 'record.export_units',
			subjectType: 'outcome_record',
			subjectId: row.id,
			detail: { sha256: doc.content.voteExport.sha256 }
		})
	);
	return { filename: `yishi-units-${row.id}.json`, text: row.voteExport };
}

export interface UnitReceipt {
	recordId: string;
	merkleRoot: string;
	/** One proof per counted row of the owner's units (every motion). */
	proofs: InclusionProof[];
}

/**
 * 计票回执核对: the signed-in owner's counted rows with inclusion proofs against the Merkle root
 * the public record states. Only the owner's own units (their memberships in the record's
 * compounds); the choices are theirs to see, never on a public page.
 */
export async function ownerReceipt(database: Database, actor: Actor | null, recordId: string): Promise<UnitReceipt> {
	if (!actor) throw new AccessDenied(m.records_error_sign_in());
	const row = await loadRecord(database.db, recordId);
	const doc = documentOf(row);
	if (perUnitExportIsPublic(doc)) throw new RuleBroken(m.records_error_v1(), 'v1');
	const compoundIds = new Set(doc.content.compounds.map((c) => c.compoundId));
	const mine = actor.memberships.filter((m) => m.relation === 'owner' && compoundIds.has(m.compoundId));
	if (mine.length === 0) throw new AccessDenied(m.records_error_receipt_owners_only());
	return receiptFor(
		database,
		row,
		doc,
		mine.map((m) => m.unitId)
	);
}

async function receiptFor(database: Database, row: RecordRow, doc: RecordDocument, unitIds: string[]): Promise<UnitReceipt> {
	const ballot = await loadBallot(database.db, row.ballotId);
	const pseudonym = unitPseudonym(ballot.salt);
	const unitsExport = JSON.parse(row.voteExport) as VoteExport;
	const proofs = inclusionProofs(unitsExport, row.id, new Set(unitIds.map(pseudonym)));
	return { recordId: row.id, merkleRoot: doc.content.voteExport.merkleRoot ?? '', proofs };
}
