/**
 * The SQL of the alternative documents (draft_doc_updates, draft_doc_snapshots): every statement
 * the document store and the collaboration server run on them, in one place and through drizzle's
 * public API only. The Yjs side (what a stored document is, compaction) is store.ts.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { draftAlternatives, draftDocSnapshots, draftDocUpdates, draftSets } from '../db/schema/index.ts';
import type { DraftPhase } from '../../domain/drafting/limits.ts';

type Handle = Db | Tx;

/** Bytes as libSQL binds a blob, without copying. */
const blob = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const toBytes = (b: Buffer | Uint8Array | ArrayBuffer): Uint8Array =>
	b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface SnapshotRow {
	upToSeq: number;
	state: Uint8Array;
}

export async function readSnapshot(handle: Handle, alternativeId: string): Promise<SnapshotRow | null> {
	const [row] = await handle
		.select({ upToSeq: draftDocSnapshots.upToSeq, state: draftDocSnapshots.state })
		.from(draftDocSnapshots)
		.where(eq(draftDocSnapshots.alternativeId, alternativeId))
		.limit(1);
	return row ? { upToSeq: row.upToSeq, state: toBytes(row.state) } : null;
}

/** The snapshot's `upToSeq` alone (no state bytes), or null when there is no snapshot. */
export async function readSnapshotSeq(handle: Handle, alternativeId: string): Promise<number | null> {
	const [row] = await handle
		.select({ upToSeq: draftDocSnapshots.upToSeq })
		.from(draftDocSnapshots)
		.where(eq(draftDocSnapshots.alternativeId, alternativeId))
		.limit(1);
	return row ? row.upToSeq : null;
}

export interface UpdateRow {
	seq: number;
	/** One Yjs update, or `updateCount` of them framed (store.ts updatesOfRow). */
	update: Uint8Array;
	updateCount: number;
}

/** Update rows in seq order; only those in `seqs` when given. */
export async function readUpdates(handle: Handle, alternativeId: string, seqs?: readonly number[]): Promise<UpdateRow[]> {
	const ofAlternative = eq(draftDocUpdates.alternativeId, alternativeId);
	const where = seqs ? and(ofAlternative, inArray(draftDocUpdates.seq, [...seqs])) : ofAlternative;
	const rows = await handle
		.select({ seq: draftDocUpdates.seq, update: draftDocUpdates.update, updateCount: draftDocUpdates.updateCount })
		.from(draftDocUpdates)
		.where(where)
		.orderBy(asc(draftDocUpdates.seq));
	return rows.map((r) => ({ seq: r.seq, update: toBytes(r.update), updateCount: r.updateCount }));
}

/** The seqs of the update rows, ascending: read from the (alternative_id, seq) index alone, no blobs. */
export async function readUpdateSeqs(handle: Handle, alternativeId: string): Promise<number[]> {
	const rows = await handle
		.select({ seq: draftDocUpdates.seq })
		.from(draftDocUpdates)
		.where(eq(draftDocUpdates.alternativeId, alternativeId))
		.orderBy(asc(draftDocUpdates.seq));
	return rows.map((r) => r.seq);
}

/** Appends one update row unconditionally (server-made changes: the initial header, a restore). */
export async function insertUpdate(tx: Tx, alternativeId: string, update: Uint8Array, userId: string | null, at: number): Promise<void> {
	await tx.insert(draftDocUpdates).values({ alternativeId, update: blob(update), userId, createdAt: at });
}

/**
 * Appends one row of `updateCount` updates if, and only if, the alternative's set is still being
 * drafted: the phase check and the insert are one statement in the caller's write transaction, so
 * against `freezeDrafting` (also one write transaction) the row is either committed before the
 * freeze or not written. Returns the new row's seq, or null when refused (frozen, or no such
 * alternative).
 */
export async function insertUpdateIfDrafting(
	tx: Tx,
	row: { alternativeId: string; update: Uint8Array; updateCount: number; userId: string | null; at: number }
): Promise<number | null> {
	const { alternativeId, update, updateCount, userId, at } = row;
	const rows = await tx.all<{ seq: number }>(sql`
		INSERT INTO ${draftDocUpdates} (alternative_id, "update", update_count, user_id, created_at)
		SELECT ${alternativeId}, ${blob(update)}, ${updateCount}, ${userId}, ${at}
		WHERE EXISTS (
			SELECT 1 FROM ${draftAlternatives} JOIN ${draftSets} ON ${draftSets.id} = ${draftAlternatives.setId}
			WHERE ${draftAlternatives.id} = ${alternativeId} AND ${draftSets.phase} = 'drafting'
		)
		RETURNING seq`);
	return rows.length > 0 ? Number(rows[0].seq) : null;
}

/** Replaces the alternative's snapshot with `state`, which covers every row up to `upToSeq`. */
export async function writeSnapshot(tx: Tx, alternativeId: string, upToSeq: number, state: Uint8Array, at: number): Promise<void> {
	const values = { upToSeq, state: blob(state), byteSize: state.byteLength, updatedAt: at };
	await tx
		.insert(draftDocSnapshots)
		.values({ alternativeId, ...values })
		.onConflictDoUpdate({ target: draftDocSnapshots.alternativeId, set: values });
}

/** Deletes the rows a new snapshot covers (seq ≤ upToSeq). */
export async function deleteUpdatesUpTo(tx: Tx, alternativeId: string, upToSeq: number): Promise<void> {
	await tx.delete(draftDocUpdates).where(and(eq(draftDocUpdates.alternativeId, alternativeId), lte(draftDocUpdates.seq, upToSeq)));
}

/** The phase of the set an alternative belongs to, read inside the caller's transaction; null if unknown. */
export async function phaseOf(handle: Handle, alternativeId: string): Promise<DraftPhase | null> {
	const [row] = await handle
		.select({ phase: draftSets.phase })
		.from(draftAlternatives)
		.innerJoin(draftSets, eq(draftSets.id, draftAlternatives.setId))
		.where(eq(draftAlternatives.id, alternativeId))
		.limit(1);
	return row ? row.phase : null;
}
