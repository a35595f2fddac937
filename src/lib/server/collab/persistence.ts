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
 * (4503), and a document that did not load is never compacted.
 *
 * Compaction folds the rows into the snapshot from the LIVE document, without re-reading the
 * history (drafting/store.ts compactLiveDocument): when the document has been idle for a moment
 * (Hocuspocus's onStoreDocument, debounced: 2 s after the last edit, at least every 10 s while
 * edits keep coming) and when it unloads (beforeUnloadDocument, while the document still exists).
 * Its own appended rows it knows from memory; rows others wrote (services, other app processes)
 * it reads by seq and applies before encoding, so the snapshot never misses a stored edit.
 */
import type {
	Document,
	Extension,
	afterUnloadDocumentPayload,
	beforeHandleMessagePayload,
	beforeUnloadDocumentPayload,
	onLoadDocumentPayload,
	onStoreDocumentPayload
} from '@hocuspocus/server';
import * as Y from 'yjs';
import { alternativeIdOf } from '../../domain/drafting/document.ts';
import type { Database } from '../db/client.ts';
import {
	appendClientUpdates,
	compactLiveDocument,
	coverageOf,
	loadStoredDocument,
	type AppendedRow,
	type ClientUpdate,
	type LiveCoverage
} from '../drafting/store.ts';
import type { CollabContext } from './auth.ts';
import { parseOf, SYNC_STEP_2 } from './messages.ts';
import { CollabRefusal, closeSocket } from './refusal.ts';
import { holdSends } from './sends.ts';

/** Origin of the transactions compaction applies to a live document (stored rows it did not hold yet). */
const COMPACTION_ORIGIN = 'yishi-compaction';

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
	// tests/integration/collab/load.test.ts fails loudly if an upgrade changes this.
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

interface Group {
	items: ClientUpdate[];
	/** The documents the items belong to: their connections get the burst of frames the commit releases. */
	documents: Set<Document>;
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

export function persistenceExtension(database: Database): PersistenceExtension {
	/**
	 * What each loaded document holds of storage: by document (compaction) and by alternative
	 * (appends, which know only the alternative). A document that did not load has none.
	 */
	const coverageOfDocument = new WeakMap<Y.Doc, LiveCoverage>();
	const coverage = new Map<string, LiveCoverage>();
	const inFlight = new Set<Promise<unknown>>();
	const track = <T>(p: Promise<T>): Promise<T> => {
		inFlight.add(p);
		void p.finally(() => inFlight.delete(p)).catch(() => undefined);
		return p;
	};
	let stopped = false;
	const compact = async (documentName: string, document: Y.Doc): Promise<void> => {
		const alternativeId = alternativeIdOf(documentName);
		const known = coverageOfDocument.get(document);
		if (stopped || !alternativeId || !known) return;
		try {
			await track(compactLiveDocument(database, alternativeId, document, known, COMPACTION_ORIGIN));
		} catch (error) {
			// Nothing is lost: the rows stay until a compaction commits.
			console.error(`[collab] compaction of ${documentName} failed`, error);
		}
	};
	/** After COMMIT: this process's own rows, so compaction need not read them back. */
	const remember = (rows: AppendedRow[]) => {
		for (const row of rows) {
			const known = coverage.get(row.alternativeId);
			if (known && row.seq > known.coveredSeq) known.own.set(row.seq, row.updates);
		}
	};

	/**
	 * Appends through the write queue, joining the group that is still waiting for its turn. The
	 * group's task takes itself out of `open` when it starts, so nothing is added to a group
	 * after its INSERT ran (a BUSY retry re-runs it with the same items).
	 */
	let open: Group | null = null;
	const append = (item: ClientUpdate, document: Document): Promise<Set<string>> => {
		let group = open;
		if (!group || group.items.length >= MAX_GROUP) {
			const created: Group = { items: [], documents: new Set(), done: undefined as unknown as Promise<Set<string>> };
			open = group = created;
			created.done = track(
				// Immediate: an editor's keystroke is acknowledged only after this commit, so it
				// does not wait for a ballot-style group to gather; its own group fills meanwhile.
				database
					.write(
						(tx) => {
							if (open === created) open = null;
							return appendClientUpdates(tx, created.items);
						},
						{ immediate: true }
					)
					.then(({ refused, rows }) => {
						remember(rows);
						// Each message of the group is applied, broadcast and acknowledged right after
						// this: one socket write per connection for all of them (sends.ts).
						for (const document of created.documents)
							for (const connection of document.getConnections()) holdSends(connection.request);
						return refused;
					})
			);
		}
		group.items.push(item);
		group.documents.add(document);
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
				const known = coverageOf(stored);
				coverage.set(alternativeId, known);
				coverageOfDocument.set(document, known);
				loadedBytes.set(document, stored.storedBytes);
			} catch (error) {
				console.error(`[collab] loading ${documentName} failed; refusing the connection`, error);
				const refusal = new CollabRefusal('loadFailed', 'load failed');
				closeSocket((context as Partial<CollabContext>).request, refusal);
				// Hocuspocus closes every connection waiting for this document and unloads it.
				throw refusal;
			}
		},

		async beforeHandleMessage(payload: beforeHandleMessagePayload) {
			const { update: data, connection, document, documentName, context } = payload;
			// Validated (and parsed) by the limits extension (higher priority) before we get here.
			const { update, syncType } = parseOf(payload, data);
			if (!update || connection.readOnly) return;
			// A step 2 after reconnect often carries nothing new (it always carries the delete set).
			if (syncType === SYNC_STEP_2 && Y.snapshotContainsUpdate(Y.snapshot(document), update)) return;
			const alternativeId = alternativeIdOf(documentName) as string;
			let refused: Set<string>;
			try {
				refused = await append({ alternativeId, update, userId: (context as CollabContext).userId ?? null }, document);
			} catch (error) {
				console.error(`[collab] storing an update of ${documentName} failed`, error);
				const refusal = new CollabRefusal('storeFailed', 'store failed');
				closeSocket(connection.request, refusal);
				throw refusal;
			}
			if (refused.has(alternativeId)) {
				// Frozen in the meantime: answer as read-only (SyncStatus false, not applied).
				connection.readOnly = true;
			}
		},

		/** Idle (debounced by Hocuspocus after client edits): fold the rows into the snapshot. */
		async onStoreDocument({ document, documentName }: onStoreDocumentPayload) {
			await compact(documentName, document);
		},

		/** The last connection left: fold what is left while the document still exists. */
		async beforeUnloadDocument({ document, documentName }: beforeUnloadDocumentPayload) {
			await compact(documentName, document);
		},

		async afterUnloadDocument({ instance, documentName }: afterUnloadDocumentPayload) {
			// Unless a new connection is already loading it again (which sets its own coverage).
			const alternativeId = alternativeIdOf(documentName);
			const again = instance.documents.has(documentName) || instance.loadingDocuments.has(documentName);
			if (alternativeId && !again) coverage.delete(alternativeId);
		},

		stop() {
			stopped = true;
		},

		async drain() {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		}
	};
}
