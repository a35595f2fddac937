/**
 * Persistence extension: an edit acknowledged to a client is on disk.
 *
 * How: Hocuspocus awaits `beforeHandleMessage` before it applies a message and before it sends
 * the SyncStatus(true) that the provider counts as "synced" (Connection.handleMessage →
 * MessageReceiver). Here, for every step-2/update message that carries new content, the Yjs
 * update is appended through `database.write`, whose promise resolves only after COMMIT. Updates
 * arriving while an append is waiting for its turn in the write queue join it (one queue task,
 * one INSERT per alternative that also re-checks the phase: drafting/store.ts
 * appendClientUpdates), and each message still waits for the COMMIT holding its own row. So:
 * acknowledged ⇒ committed, and a kill -9 at any moment loses only unacknowledged edits, which the
 * client still holds and resends on reconnect (sync step 2). If the write fails, the message is
 * not applied, the connection is closed (4500) and the client keeps its changes.
 *
 * Loading never starts from empty over existing data: a failed load refuses the connection
 * (4503). And no code path writes an in-memory state over stored rows — compaction reads the rows
 * inside its own transaction (drafting/store.ts) — so even a half-loaded document cannot erase
 * anything. There is deliberately no onStoreDocument.
 */
import type { Extension, afterUnloadDocumentPayload, beforeHandleMessagePayload, onLoadDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { alternativeIdOf } from '../../domain/drafting/document.ts';
import { COMPACT_EVERY_UPDATES } from '../../domain/drafting/limits.ts';
import type { Database } from '../db/client.ts';
import { appendClientUpdates, compactDocument, loadStoredDocument, type ClientUpdate } from '../drafting/store.ts';
import type { CollabContext } from './auth.ts';
import { parseMessage, SYNC_STEP_2, type ParsedMessage } from './messages.ts';
import { CollabRefusal, closeSocket } from './refusal.ts';

export interface PersistenceOptions {
	/** Compact after at least this many appended updates (and on unload)… */
	compactEvery?: number;
	/**
	 * …and once their bytes reach this fraction of the last snapshot, so a large document is not
	 * re-read and re-encoded every 200 keystrokes (the cost of a compaction grows with the
	 * document; this keeps it proportional to what was appended). 0 compacts on the count alone.
	 */
	compactRatio?: number;
}

/**
 * Runs `load` with the document's 'update' listeners set aside. While a document loads, its only
 * listener is Hocuspocus's own broadcast handler, and there is nobody to broadcast to; but any
 * listener makes Yjs encode the whole applied state as one more update message (a third of a
 * large document's load, tests/bench/REPORT.md notes). Listeners are put back before anything
 * else can touch the document: other connections wait for the load to finish.
 */
async function withoutUpdateListeners<T>(document: Y.Doc, load: () => Promise<T>): Promise<T> {
	// lib0's Observable keeps its listeners in `_observers`, a Map of event name to Set.
	const observers = (document as unknown as { _observers?: Map<string, unknown> })._observers;
	const update = observers?.get('update');
	if (!observers || update === undefined) return load();
	observers.delete('update');
	try {
		return await load();
	} finally {
		observers.set('update', update);
	}
}

/** Updates one queue task appends at most; later ones start the next task. */
const MAX_GROUP = 512;
const COMPACT_RATIO = 0.25;
/** Compact regardless of the byte ratio after this many rows, to bound the rows a load applies. */
const COMPACT_MAX_ROWS = 4000;

interface Group {
	items: ClientUpdate[];
	/** Alternatives refused as frozen; resolves after the COMMIT. */
	done: Promise<Set<string>>;
}

export interface PersistenceExtension extends Extension {
	/** Resolves when every in-flight append and compaction has settled (graceful shutdown). */
	drain(): Promise<void>;
	/** No new compactions from now on (the database is about to close); appends still finish. */
	stop(): void;
}

/**
 * Bytes stored for each document this extension loaded (snapshot + rows), an upper bound of its
 * encoded size that the limits extension starts from instead of encoding the document again.
 */
export const loadedBytes = new WeakMap<Y.Doc, number>();

/**
 * Each incoming message parsed once: the limits extension (which runs first) records what it read
 * here, keyed by the message's own bytes, and this extension reuses it instead of parsing again.
 */
export const parsedMessages = new WeakMap<Uint8Array, ParsedMessage>();

export function persistenceExtension(database: Database, options: PersistenceOptions = {}): PersistenceExtension {
	const compactEvery = options.compactEvery ?? COMPACT_EVERY_UPDATES;
	const compactRatio = options.compactRatio ?? COMPACT_RATIO;
	/** Update rows (count and bytes) not yet folded into the snapshot, per open document, and the last snapshot's size. */
	const pending = new Map<string, { rows: number; bytes: number; base: number }>();
	const pendingOf = (documentName: string) => {
		let p = pending.get(documentName);
		if (!p) pending.set(documentName, (p = { rows: 0, bytes: 0, base: 0 }));
		return p;
	};
	const inFlight = new Set<Promise<unknown>>();
	const track = <T>(p: Promise<T>): Promise<T> => {
		inFlight.add(p);
		void p.finally(() => inFlight.delete(p)).catch(() => undefined);
		return p;
	};
	let stopped = false;
	const compact = (alternativeId: string, documentName: string) => {
		if (stopped) return;
		const p = pending.get(documentName);
		if (p) {
			// Until it commits, count the base as if it had grown by everything appended.
			p.base += p.bytes;
			p.rows = 0;
			p.bytes = 0;
		}
		track(compactDocument(database, alternativeId))
			.then((size) => {
				const now = pending.get(documentName);
				if (now && size !== null) now.base = size;
			})
			.catch((error) => {
				// Nothing is lost: the rows stay until a compaction commits.
				console.error(`[collab] compaction of ${documentName} failed`, error);
			});
	};

	/**
	 * Appends through the write queue, joining the group that is still waiting for its turn. The
	 * group's task takes itself out of `open` when it starts, so nothing is added to a group
	 * after its INSERT ran (a BUSY retry re-runs it with the same items).
	 */
	let open: Group | null = null;
	const append = (item: ClientUpdate): Promise<Set<string>> => {
		let group = open;
		if (!group || group.items.length >= MAX_GROUP) {
			const created: Group = { items: [], done: undefined as unknown as Promise<Set<string>> };
			open = group = created;
			created.done = track(
				// Immediate: an editor's keystroke is acknowledged only after this commit, so it
				// does not wait for a ballot-style group to gather; its own group fills meanwhile.
				database.write(
					(tx) => {
						if (open === created) open = null;
						return appendClientUpdates(tx, created.items);
					},
					{ immediate: true }
				)
			);
		}
		group.items.push(item);
		return group.done;
	};

	return {
		priority: 100,
		async onLoadDocument({ document, documentName, context }: onLoadDocumentPayload) {
			const alternativeId = alternativeIdOf(documentName);
			if (!alternativeId) throw new CollabRefusal('notFound');
			try {
				// Straight into the Hocuspocus document (no second Y.Doc, no re-encode). It has no
				// connections yet, and a failure here unloads it with everything applied so far.
				const stored = await withoutUpdateListeners(document, () => loadStoredDocument(database, alternativeId, document));
				pending.set(documentName, { rows: stored.pendingUpdates, bytes: 0, base: stored.storedBytes });
				loadedBytes.set(document, stored.storedBytes);
			} catch (error) {
				console.error(`[collab] loading ${documentName} failed; refusing the connection`, error);
				const refusal = new CollabRefusal('loadFailed', 'load failed');
				closeSocket((context as Partial<CollabContext>).request, refusal);
				// Hocuspocus closes every connection waiting for this document and unloads it.
				throw refusal;
			}
		},

		async beforeHandleMessage({ update: data, connection, document, documentName, context }: beforeHandleMessagePayload) {
			// Validated by the limits extension (higher priority) before we get here.
			const { update, syncType } = parsedMessages.get(data) ?? parseMessage(data);
			if (!update || connection.readOnly) return;
			// A step 2 after reconnect often carries nothing new (it always carries the delete set).
			if (syncType === SYNC_STEP_2 && Y.snapshotContainsUpdate(Y.snapshot(document), update)) return;
			const alternativeId = alternativeIdOf(documentName) as string;
			let refused: Set<string>;
			try {
				refused = await append({ alternativeId, update, userId: (context as CollabContext).userId ?? null });
			} catch (error) {
				console.error(`[collab] storing an update of ${documentName} failed`, error);
				const refusal = new CollabRefusal('storeFailed', 'store failed');
				closeSocket(connection.request, refusal);
				throw refusal;
			}
			if (refused.has(alternativeId)) {
				// Frozen in the meantime: answer as read-only (SyncStatus false, not applied).
				connection.readOnly = true;
				return;
			}
			const p = pendingOf(documentName);
			p.rows++;
			p.bytes += update.byteLength;
			if (p.rows >= compactEvery && (p.bytes >= p.base * compactRatio || p.rows >= COMPACT_MAX_ROWS)) compact(alternativeId, documentName);
		},

		async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
			const alternativeId = alternativeIdOf(documentName);
			const count = pending.get(documentName)?.rows ?? 0;
			if (alternativeId && count > 0) compact(alternativeId, documentName);
			pending.delete(documentName);
		},

		stop() {
			stopped = true;
		},

		async drain() {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		}
	};
}
