/**
 * Durable storage of alternative documents: an append-only log of Yjs updates plus one compacted
 * snapshot per alternative.
 *
 * Invariants
 * - The stored document is the snapshot plus every remaining update row; loading applies all of
 *   them (Yjs updates are idempotent and commute, so order and duplicates do not matter).
 * - A snapshot is only ever written from a document that holds the old snapshot and every row
 *   it replaces: compactLiveDocument applies to the live document, in the same write
 *   transaction, every stored row it is not known to hold. A failed or empty in-memory load
 *   therefore cannot erase anything (a failed load is never compacted: the collaboration server
 *   refuses it and keeps no coverage for it).
 * - Every write goes through `database.write`, so a resolved promise means committed.
 * - The SQL is in repository.ts.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Database, Db, Tx } from '../db/client.ts';
import { clock } from '../util/clock.ts';
import {
	deleteUpdatesUpTo,
	insertUpdate,
	insertUpdateIfDrafting,
	readSnapshot,
	readSnapshotSeq,
	readUpdateSeqs,
	readUpdates,
	writeSnapshot,
	type UpdateRow
} from './repository.ts';

export { phaseOf } from './repository.ts';

/** The Yjs updates a stored row holds (see draftDocUpdates.updateCount). */
export function updatesOfRow(row: Pick<UpdateRow, 'update' | 'updateCount'>): Uint8Array[] {
	if (row.updateCount === 1) return [row.update];
	const decoder = decoding.createDecoder(row.update);
	const updates: Uint8Array[] = [];
	for (let i = 0; i < row.updateCount; i++) updates.push(decoding.readVarUint8Array(decoder));
	return updates;
}

/** Several updates as one row's bytes: each as a varUint8Array, one after the other. */
function frameUpdates(updates: readonly Uint8Array[]): Uint8Array {
	if (updates.length === 1) return updates[0];
	const encoder = encoding.createEncoder();
	for (const update of updates) encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export interface StoredDocument {
	doc: Y.Doc;
	/** Bytes stored for this document (snapshot + update rows): an upper bound of its size. */
	storedBytes: number;
	/** Update rows not yet folded into the snapshot. */
	pendingUpdates: number;
	/** The highest seq the document holds: its last row's, else the snapshot's upToSeq (0 when neither). */
	lastSeq: number;
	/** The snapshot's upToSeq, or null when there is no snapshot. */
	snapshotSeq: number | null;
}

/**
 * Reads snapshot + updates through `handle`; call inside one transaction so both reads agree.
 * `into` applies them straight into an existing (empty, loading) document instead of a new one —
 * the collaboration server's load, which would otherwise build the document twice.
 */
export async function readStoredDocument(handle: Db | Tx, alternativeId: string, into?: Y.Doc): Promise<StoredDocument> {
	const snapshot = await readSnapshot(handle, alternativeId);
	const rows = await readUpdates(handle, alternativeId);
	const doc = into ?? new Y.Doc();
	let storedBytes = 0;
	doc.transact(() => {
		if (snapshot) {
			storedBytes += snapshot.state.byteLength;
			Y.applyUpdate(doc, snapshot.state);
		}
		for (const row of rows) {
			storedBytes += row.update.byteLength;
			for (const update of updatesOfRow(row)) Y.applyUpdate(doc, update);
		}
	});
	const snapshotSeq = snapshot?.upToSeq ?? null;
	const lastSeq = rows.length ? rows[rows.length - 1].seq : (snapshotSeq ?? 0);
	return { doc, storedBytes, pendingUpdates: rows.length, lastSeq, snapshotSeq };
}

/**
 * Loads the stored document in a read transaction (WAL snapshot isolation), so a compaction
 * committing between the snapshot read and the update read cannot make us miss rows.
 */
export async function loadStoredDocument(database: Database, alternativeId: string, into?: Y.Doc): Promise<StoredDocument> {
	return database.db.transaction((tx) => readStoredDocument(tx as unknown as Db, alternativeId, into), { behavior: 'deferred' });
}

export async function appendUpdate(tx: Tx, alternativeId: string, update: Uint8Array, userId: string | null): Promise<void> {
	await insertUpdate(tx, alternativeId, update, userId, clock.now());
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
export async function appendClientUpdate(
	database: Database,
	alternativeId: string,
	update: Uint8Array,
	userId: string | null
): Promise<void> {
	const { refused } = await database.write((tx) => appendClientUpdates(tx, [{ alternativeId, update, userId }]));
	if (refused.size > 0) throw new DocumentLocked();
}

/** One client update waiting to be appended (see appendClientUpdates). */
export interface ClientUpdate {
	alternativeId: string;
	update: Uint8Array;
	userId: string | null;
}

/** A row appendClientUpdates wrote: the updates of one alternative and one sender. */
export interface AppendedRow {
	alternativeId: string;
	seq: number;
	updates: Uint8Array[];
}

/**
 * Appends many client updates inside the caller's write transaction, each only if its set is
 * still being drafted (checked in this transaction, as appendClientUpdate does). The updates of
 * one alternative from one sender become ONE row, framed one after the other: Y.mergeUpdates
 * would cost more than the rows it saves (measured on the editing trace: ~30 µs per update in
 * groups of 512, against ~2 µs to decode one), so the row keeps them as they came.
 * Returns the alternatives refused because the set is frozen (or the alternative is unknown) and
 * the rows written for the others.
 */
export async function appendClientUpdates(
	tx: Tx,
	updates: readonly ClientUpdate[]
): Promise<{ refused: Set<string>; rows: AppendedRow[] }> {
	const groups = new Map<string, ClientUpdate[]>();
	for (const u of updates) {
		const key = `${u.alternativeId}\u0000${u.userId ?? ''}`;
		const list = groups.get(key);
		if (list) list.push(u);
		else groups.set(key, [u]);
	}
	const refused = new Set<string>();
	const rows: AppendedRow[] = [];
	const now = clock.now();
	for (const list of groups.values()) {
		const { alternativeId, userId } = list[0];
		// The phase cannot change inside this transaction: one refusal decides for the alternative.
		if (refused.has(alternativeId)) continue;
		const updates = list.map((u) => u.update);
		const row = { alternativeId, update: frameUpdates(updates), updateCount: updates.length, userId, at: now };
		const seq = await insertUpdateIfDrafting(tx, row);
		if (seq === null) refused.add(alternativeId);
		else rows.push({ alternativeId, seq, updates });
	}
	return { refused, rows };
}

/**
 * What an open (live) document is known to hold of the stored rows. The collaboration server
 * keeps one per open document: set at load, grown as its own appends commit, moved by each
 * compaction.
 */
export interface LiveCoverage {
	/** Every row with seq ≤ coveredSeq is in the live document (seqs only grow: AUTOINCREMENT). */
	coveredSeq: number;
	/** The snapshot's upToSeq as this process last read or wrote it; null: there was none. */
	snapshotSeq: number | null;
	/** Rows this process appended after coveredSeq, with their updates (perhaps not applied yet). */
	own: Map<number, Uint8Array[]>;
}

/** The coverage of a document just loaded with readStoredDocument / loadStoredDocument. */
export function coverageOf(stored: StoredDocument): LiveCoverage {
	return { coveredSeq: stored.lastSeq, snapshotSeq: stored.snapshotSeq, own: new Map() };
}

/**
 * Compaction from the live document, without re-reading history: one write transaction reads
 * the seqs of the rows (index only), brings into the live document whatever of storage it may
 * not hold yet — its own rows not yet applied (from memory), rows written by others (services,
 * other processes: read by seq), and the snapshot if another process replaced it — then stores
 * the live document's encoded state as the snapshot and deletes the rows it covers.
 *
 * Safe by construction: everything in the live document came from storage, and everything in
 * storage up to the deleted seq is applied to it before it is encoded, so the new snapshot
 * holds the old snapshot and every deleted row. Returns the snapshot size, or null when there
 * was no row to fold.
 */
export async function compactLiveDocument(
	database: Database,
	alternativeId: string,
	live: Y.Doc,
	coverage: LiveCoverage,
	origin: unknown
): Promise<number | null> {
	const result = await database.write(async (tx) => {
		const seqs = await readUpdateSeqs(tx, alternativeId);
		if (seqs.length === 0) return null;
		const missing: Uint8Array[] = [];
		const snapshotSeq = await readSnapshotSeq(tx, alternativeId);
		if (snapshotSeq !== coverage.snapshotSeq) {
			const snapshot = await readSnapshot(tx, alternativeId);
			if (snapshot) missing.push(snapshot.state);
		}
		const unknown: number[] = [];
		for (const seq of seqs) {
			if (seq <= coverage.coveredSeq) continue;
			const own = coverage.own.get(seq);
			if (own) missing.push(...own);
			else unknown.push(seq);
		}
		if (unknown.length > 0) for (const row of await readUpdates(tx, alternativeId, unknown)) missing.push(...updatesOfRow(row));
		// Yjs updates are idempotent: what the live document already holds changes nothing.
		if (missing.length > 0) live.transact(() => missing.forEach((update) => Y.applyUpdate(live, update)), origin);
		const upToSeq = seqs[seqs.length - 1];
		const state = Y.encodeStateAsUpdate(live);
		await writeSnapshot(tx, alternativeId, upToSeq, state, clock.now());
		await deleteUpdatesUpTo(tx, alternativeId, upToSeq);
		return { upToSeq, size: state.byteLength };
	});
	if (!result) return null;
	coverage.coveredSeq = Math.max(coverage.coveredSeq, result.upToSeq);
	coverage.snapshotSeq = result.upToSeq;
	for (const seq of coverage.own.keys()) if (seq <= result.upToSeq) coverage.own.delete(seq);
	return result.size;
}

/**
 * Applies `change` to the stored document on the server (restore, initial header) and appends the
 * resulting update, inside the caller's write transaction. Returns the update so the caller can
 * hand it to live documents after COMMIT. Returns null when the change changed nothing.
 */
export async function changeStoredDocument(
	tx: Tx,
	alternativeId: string,
	userId: string | null,
	change: (doc: Y.Doc) => void
): Promise<{ update: Uint8Array | null; doc: Y.Doc }> {
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
