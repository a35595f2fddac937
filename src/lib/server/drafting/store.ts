/**
 * Durable storage of alternative documents: an append-only log of Yjs updates plus one compacted
 * snapshot per alternative.
 *
 * Invariants
 * - The stored document is the snapshot plus every remaining update row; loading applies all of
 *   them (Yjs updates are idempotent and commute, so order and duplicates do not matter).
 * - Nothing here ever writes a document state taken from memory over stored rows: compaction
 *   re-reads the rows inside its own write transaction, folds them into a fresh Y.Doc, and
 *   deletes exactly the rows it folded. A failed or empty in-memory load therefore cannot erase
 *   anything.
 * - Every write goes through `database.write`, so a resolved promise means committed.
 */
import { and, eq, lte, asc, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database, Db, Tx } from '../db/client.ts';
import { draftAlternatives, draftDocSnapshots, draftDocUpdates, draftSets } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';
import type { DraftPhase } from '../../domain/drafting/limits.ts';

export interface StoredDocument {
	doc: Y.Doc;
	/** Bytes stored for this document (snapshot + update rows): an upper bound of its size. */
	storedBytes: number;
	/** Update rows not yet folded into the snapshot. */
	pendingUpdates: number;
	lastSeq: number;
}

const toBytes = (b: Buffer | Uint8Array | ArrayBuffer): Uint8Array => (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

/**
 * Reads snapshot + updates through `handle`; call inside one transaction so both reads agree.
 * `into` applies them straight into an existing (empty, loading) document instead of a new one —
 * the collaboration server's load, which would otherwise build the document twice.
 */
export async function readStoredDocument(handle: Db | Tx, alternativeId: string, into?: Y.Doc): Promise<StoredDocument> {
	const [snapshot] = await handle.select().from(draftDocSnapshots).where(eq(draftDocSnapshots.alternativeId, alternativeId)).limit(1);
	const rows = await handle
		.select({ seq: draftDocUpdates.seq, update: draftDocUpdates.update })
		.from(draftDocUpdates)
		.where(eq(draftDocUpdates.alternativeId, alternativeId))
		.orderBy(asc(draftDocUpdates.seq));
	const doc = into ?? new Y.Doc();
	let storedBytes = 0;
	doc.transact(() => {
		if (snapshot) {
			const state = toBytes(snapshot.state);
			storedBytes += state.byteLength;
			Y.applyUpdate(doc, state);
		}
		for (const row of rows) {
			const update = toBytes(row.update);
			storedBytes += update.byteLength;
			Y.applyUpdate(doc, update);
		}
	});
	return { doc, storedBytes, pendingUpdates: rows.length, lastSeq: rows.length ? rows[rows.length - 1].seq : (snapshot?.upToSeq ?? 0) };
}

/**
 * Loads the stored document in a read transaction (WAL snapshot isolation), so a compaction
 * committing between the snapshot read and the update read cannot make us miss rows.
 */
export async function loadStoredDocument(database: Database, alternativeId: string, into?: Y.Doc): Promise<StoredDocument> {
	return database.db.transaction((tx) => readStoredDocument(tx as unknown as Db, alternativeId, into), { behavior: 'deferred' });
}

export async function appendUpdate(tx: Tx, alternativeId: string, update: Uint8Array, userId: string | null): Promise<void> {
	await tx.insert(draftDocUpdates).values({ alternativeId, update: Buffer.from(update.buffer, update.byteOffset, update.byteLength), userId, createdAt: clock.now() });
}

/** The phase of the set an alternative belongs to, read inside the caller's transaction; null if unknown. */
export async function phaseOf(handle: Db | Tx, alternativeId: string): Promise<DraftPhase | null> {
	const [row] = await handle
		.select({ phase: draftSets.phase })
		.from(draftAlternatives)
		.innerJoin(draftSets, eq(draftSets.id, draftAlternatives.setId))
		.where(eq(draftAlternatives.id, alternativeId))
		.limit(1);
	return row ? row.phase : null;
}

export class DocumentLocked extends Error {
	constructor() {
		super('方案已定稿，不能再修改');
		this.name = 'DocumentLocked';
	}
}

/**
 * Appends a client's update if, and only if, the set is still being drafted — checked in the same
 * write transaction, so against `freezeDrafting` (also one write transaction) an update is either
 * committed before the freeze and part of the frozen text, or refused.
 */
export async function appendClientUpdate(database: Database, alternativeId: string, update: Uint8Array, userId: string | null): Promise<void> {
	const refused = await database.write((tx) => appendClientUpdates(tx, [{ alternativeId, update, userId }]));
	if (refused.size > 0) throw new DocumentLocked();
}

/** One client update waiting to be appended (see appendClientUpdates). */
export interface ClientUpdate {
	alternativeId: string;
	update: Uint8Array;
	userId: string | null;
}

/** The libSQL transaction under a drizzle write handle (its `batch` runs statements as given), or null. */
interface RawBatch {
	batch(stmts: { sql: string; args: unknown[] }[]): Promise<{ rowsAffected: number }[]>;
}
function rawBatchOf(tx: Tx): RawBatch | null {
	const raw = (tx as unknown as { session?: { tx?: unknown } }).session?.tx as RawBatch | undefined;
	return raw && typeof raw.batch === 'function' ? raw : null;
}

/** Rows per statement: 4 parameters each, far below SQLite's parameter limit. */
const ROWS_PER_STATEMENT = 128;
const ROW_PLACEHOLDERS = '(?,?,?,?)';
/**
 * The phase check and the append in ONE statement: the rows are inserted only if the set of the
 * alternative is still being drafted, read in the same write transaction (so, against
 * `freezeDrafting`, either committed before the freeze or refused). rowsAffected 0 means refused.
 */
const appendIfDraftingSql = (rows: number) =>
	`INSERT INTO draft_doc_updates (alternative_id, "update", user_id, created_at) ` +
	`SELECT column1, column2, column3, column4 FROM (VALUES ${Array(rows).fill(ROW_PLACEHOLDERS).join(',')}) ` +
	`WHERE EXISTS (SELECT 1 FROM draft_alternatives a JOIN draft_sets s ON s.id = a.set_id WHERE a.id = ? AND s.phase = 'drafting')`;

/**
 * Appends many client updates inside the caller's write transaction, each only if its set is
 * still being drafted (checked in this transaction, as appendClientUpdate does). Returns the
 * alternatives whose updates were refused because the set is frozen (or the alternative unknown);
 * the updates of the others are appended. One statement per alternative and 128 rows, so the
 * per-update cost is a row, not a round of query building, a SELECT and an INSERT.
 */
export async function appendClientUpdates(tx: Tx, updates: readonly ClientUpdate[]): Promise<Set<string>> {
	const refused = new Set<string>();
	const byAlternative = new Map<string, ClientUpdate[]>();
	for (const u of updates) {
		const list = byAlternative.get(u.alternativeId);
		if (list) list.push(u);
		else byAlternative.set(u.alternativeId, [u]);
	}
	const raw = rawBatchOf(tx);
	const now = clock.now();
	for (const [alternativeId, list] of byAlternative) {
		if (!raw) {
			if ((await phaseOf(tx, alternativeId)) !== 'drafting') refused.add(alternativeId);
			else for (const u of list) await appendUpdate(tx, alternativeId, u.update, u.userId);
			continue;
		}
		const statements: { sql: string; args: unknown[] }[] = [];
		for (let i = 0; i < list.length; i += ROWS_PER_STATEMENT) {
			const chunk = list.slice(i, i + ROWS_PER_STATEMENT);
			const args: unknown[] = [];
			for (const u of chunk) args.push(alternativeId, Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength), u.userId, now);
			args.push(alternativeId);
			statements.push({ sql: appendIfDraftingSql(chunk.length), args });
		}
		const results = await raw.batch(statements);
		// The phase cannot change inside this transaction: the first statement decides for all.
		if (results[0].rowsAffected === 0) refused.add(alternativeId);
	}
	return refused;
}

/**
 * Folds the update log into the snapshot: one write transaction that loads snapshot + rows into a
 * Y.Doc, re-encodes it, and deletes the rows it read. Never Y.mergeUpdates (which keeps every
 * deleted item and is slow over long logs). Returns the new snapshot size, or null if nothing to do.
 */
export async function compactDocument(database: Database, alternativeId: string): Promise<number | null> {
	return database.write(async (tx) => {
		const stored = await readStoredDocument(tx, alternativeId);
		if (stored.pendingUpdates === 0) return null;
		const state = Y.encodeStateAsUpdate(stored.doc);
		stored.doc.destroy();
		const values = { upToSeq: stored.lastSeq, state: Buffer.from(state), byteSize: state.byteLength, updatedAt: clock.now() };
		await tx
			.insert(draftDocSnapshots)
			.values({ alternativeId, ...values })
			.onConflictDoUpdate({ target: draftDocSnapshots.alternativeId, set: values });
		await tx.delete(draftDocUpdates).where(and(eq(draftDocUpdates.alternativeId, alternativeId), lte(draftDocUpdates.seq, stored.lastSeq)));
		return state.byteLength;
	});
}

export async function countPendingUpdates(database: Database, alternativeId: string): Promise<number> {
	const [row] = await database.db.select({ n: sql<number>`count(*)` }).from(draftDocUpdates).where(eq(draftDocUpdates.alternativeId, alternativeId));
	return Number(row?.n ?? 0);
}

/**
 * Applies `change` to the stored document on the server (restore, initial header) and appends the
 * resulting update, inside the caller's write transaction. Returns the update so the caller can
 * hand it to live documents after COMMIT. Returns null when the change changed nothing.
 */
export async function changeStoredDocument(tx: Tx, alternativeId: string, userId: string | null, change: (doc: Y.Doc) => void): Promise<{ update: Uint8Array | null; doc: Y.Doc }> {
	const { doc } = await readStoredDocument(tx, alternativeId);
	let update: Uint8Array | null = null;
	const capture = (u: Uint8Array) => {
		update = update ? Y.mergeUpdates([update, u]) : u;
	};
	doc.on('update', capture);
	doc.transact(() => change(doc));
	doc.off('update', capture);
	if (update) await appendUpdate(tx, alternativeId, update, userId);
	return { update, doc };
}
