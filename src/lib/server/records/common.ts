/**
 * Shared pieces of the records services: who may publish for a set of compounds, who is a
 * verified member, where a compound sits in the tree, and reading record rows. Nothing here writes.
 */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { decide, type Actor, type CompoundScope } from '../../domain/access/policy.ts';
import { verifyChain, type RecordDocument } from '../../domain/records/index.ts';
import { compoundScopes, requireAccess } from '../access.ts';
import type { Database, Db } from '../db/client.ts';
import { orgNodes, outcomeRecords } from '../db/schema/index.ts';
import { AccessDenied, NotFound } from '../errors.ts';
import { m } from '../../paraglide/messages.js';

export type RecordRow = typeof outcomeRecords.$inferSelect;

export function iso(ms: number): string {
	return new Date(ms).toISOString();
}

/**
 * 居委 publishes for every compound the record covers. A joint record of two compounds under two
 * 居委 needs staff whose grants cover each compound — possibly through two grants, which is how
 * a worker serving both 居委 is modelled — so the check runs per compound.
 */
export function requirePublisher(actor: Actor | null, scopes: CompoundScope[]): Actor {
	if (scopes.length === 0) throw new AccessDenied(m.records_error_publisher_only());
	for (const scope of scopes) requireAccess(actor, 'record.publish', { compounds: [scope] });
	return actor as Actor;
}

/**
 * A verified owner or resident (居民/使用人) of one of the compounds may object and rate (the policy's
 * record.object / record.rate); returns the membership the objection or rating is filed under, an owner's first.
 */
export async function requireMember(
	database: Database,
	actor: Actor | null,
	action: 'record.object' | 'record.rate',
	compoundIds: string[]
): Promise<{ compoundId: string; relation: 'owner' | 'resident' }> {
	const member = requireAccess(actor, action, { compounds: await compoundScopes(database, compoundIds) });
	const ids = new Set(compoundIds);
	const mine = member.memberships.filter((m) => ids.has(m.compoundId));
	const owner = mine.find((m) => m.relation === 'owner');
	return owner ? { compoundId: owner.compoundId, relation: 'owner' } : { compoundId: mine[0].compoundId, relation: 'resident' };
}

/** The 居委's page for one record (answers, final notice, corrections, follow-through): record.publish for each of its compounds. */
export async function requireRecordManager(database: Database, actor: Actor | null, compoundIds: string[]): Promise<Actor> {
	return requirePublisher(actor, await compoundScopes(database, compoundIds));
}

export function mayPublish(actor: Actor | null, scopes: CompoundScope[]): boolean {
	return scopes.length > 0 && scopes.every((scope) => decide(actor, 'record.publish', { compounds: [scope] }).allowed);
}

export interface Place {
	compoundId: string;
	compound: string;
	committeeId: string | null;
	committee: string;
	clusterId: string | null;
	streetId: string | null;
	street: string;
}

/** A compound's 居委, 片区 and 街道 from the tree (kinds, not positions, since trees differ). */
export async function placesOf(database: Database, compoundIds: string[]): Promise<Place[]> {
	const scopes = await compoundScopes(database, compoundIds);
	const ids = [...new Set(scopes.flatMap((s) => s.chain))];
	const nodes = ids.length
		? await database.db
				.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name })
				.from(orgNodes)
				.where(inArray(orgNodes.id, ids))
		: [];
	const byId = new Map(nodes.map((n) => [n.id, n]));
	return scopes.map((scope) => {
		const chain = scope.chain.map((id) => byId.get(id)!).filter(Boolean);
		const of = (kind: string) => chain.find((n) => n.kind === kind) ?? null;
		return {
			compoundId: scope.id,
			compound: of('compound')?.name ?? '',
			committeeId: of('committee')?.id ?? null,
			committee: of('committee')?.name ?? '',
			clusterId: of('cluster')?.id ?? null,
			streetId: of('street')?.id ?? null,
			street: of('street')?.name ?? ''
		};
	});
}

export async function loadRecord(reader: Db, recordId: string): Promise<RecordRow> {
	const [row] = await reader.select().from(outcomeRecords).where(eq(outcomeRecords.id, recordId)).limit(1);
	if (!row) throw new NotFound(m.records_error_no_record());
	return row;
}

/** Every version of an item, oldest first. */
export async function itemVersions(reader: Db, itemId: string): Promise<RecordRow[]> {
	return reader.select().from(outcomeRecords).where(eq(outcomeRecords.itemId, itemId)).orderBy(asc(outcomeRecords.versionNo));
}

export async function latestVersion(reader: Db, itemId: string): Promise<RecordRow> {
	const [row] = await reader
		.select()
		.from(outcomeRecords)
		.where(eq(outcomeRecords.itemId, itemId))
		.orderBy(desc(outcomeRecords.versionNo))
		.limit(1);
	if (!row) throw new NotFound(m.records_error_no_record());
	return row;
}

export function documentOf(row: RecordRow): RecordDocument {
	return JSON.parse(row.document) as RecordDocument;
}

/**
 * A record version without its two large texts (the document, tens of KB, and the public vote
 * export, hundreds of KB). Pages that list versions or only need the stamps read this: reading
 * the full rows four times per view was most of the record page's cost.
 */
export const recordMetaColumns = {
	id: outcomeRecords.id,
	seq: outcomeRecords.seq,
	itemId: outcomeRecords.itemId,
	versionNo: outcomeRecords.versionNo,
	stage: outcomeRecords.stage,
	ballotId: outcomeRecords.ballotId,
	title: outcomeRecords.title,
	publishedAt: outcomeRecords.publishedAt,
	disputeEndsAt: outcomeRecords.disputeEndsAt,
	hash: outcomeRecords.hash,
	prevHash: outcomeRecords.prevHash
};
export type RecordMeta = { [K in keyof typeof recordMetaColumns]: RecordRow[K] };

/** Every version of an item without the large texts, oldest first. */
export async function itemVersionMetas(reader: Db, itemId: string): Promise<RecordMeta[]> {
	return reader
		.select(recordMetaColumns)
		.from(outcomeRecords)
		.where(eq(outcomeRecords.itemId, itemId))
		.orderBy(asc(outcomeRecords.versionNo));
}

export interface VerifiedDocument {
	doc: RecordDocument;
	/** The stored document hashes to the stated hash and names its own id, seq and prevHash. */
	verified: boolean;
}

/**
 * Parsed, hash-checked documents by record id. Safe to keep: a published record is never updated
 * (the chain would break; nothing in the app writes an UPDATE to outcome_records), and every hit
 * is still keyed on the hash read from the row, so a row that differed would miss and be re-read.
 * Bounded, oldest entry out first.
 */
const documentCache = new Map<string, { hash: string; value: VerifiedDocument }>();
const DOCUMENT_CACHE_MAX = 512;

export async function verifiedDocument(reader: Db, meta: Pick<RecordMeta, 'id' | 'seq' | 'hash' | 'prevHash'>): Promise<VerifiedDocument> {
	const hit = documentCache.get(meta.id);
	if (hit && hit.hash === meta.hash) return hit.value;
	const [row] = await reader
		.select({ document: outcomeRecords.document })
		.from(outcomeRecords)
		.where(eq(outcomeRecords.id, meta.id))
		.limit(1);
	if (!row) throw new NotFound(m.records_error_no_record());
	// The same check as 校验 (verifyChain) for this one record, done once per process and record.
	const report = verifyChain([{ seq: meta.seq, id: meta.id, hash: meta.hash, prevHash: meta.prevHash, document: row.document }], {
		complete: false
	});
	const value: VerifiedDocument = { doc: JSON.parse(row.document) as RecordDocument, verified: report.ok };
	if (documentCache.size >= DOCUMENT_CACHE_MAX) documentCache.delete(documentCache.keys().next().value!);
	documentCache.set(meta.id, { hash: meta.hash, value });
	return value;
}

export function compoundIdsOf(row: RecordRow): string[] {
	return documentOf(row).content.compounds.map((c) => c.compoundId);
}
