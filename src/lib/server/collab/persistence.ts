/**
 * Persistence extension: an edit acknowledged to a client is on disk.
 *
 * How: Hocuspocus awaits `beforeHandleMessage` before it applies a message and before it sends
 * the SyncStatus(true) that the provider counts as "synced" (Connection.handleMessage →
 * MessageReceiver). Here, for every step-2/update message that carries new content, the Yjs
 * update is appended with `database.write`, whose promise resolves only after COMMIT. So:
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
import { DocumentLocked, appendClientUpdate, compactDocument, loadStoredDocument } from '../drafting/store.ts';
import type { CollabContext } from './auth.ts';
import { parseMessage, SYNC_STEP_2 } from './messages.ts';
import { CollabRefusal, closeSocket } from './refusal.ts';

export interface PersistenceOptions {
	compactEvery?: number;
}

export interface PersistenceExtension extends Extension {
	/** Resolves when every in-flight append and compaction has settled (graceful shutdown). */
	drain(): Promise<void>;
	/** No new compactions from now on (the database is about to close); appends still finish. */
	stop(): void;
}

export function persistenceExtension(database: Database, options: PersistenceOptions = {}): PersistenceExtension {
	const compactEvery = options.compactEvery ?? COMPACT_EVERY_UPDATES;
	/** Update rows not yet folded into the snapshot, per open document. */
	const pending = new Map<string, number>();
	const inFlight = new Set<Promise<unknown>>();
	const track = <T>(p: Promise<T>): Promise<T> => {
		inFlight.add(p);
		void p.finally(() => inFlight.delete(p)).catch(() => undefined);
		return p;
	};
	let stopped = false;
	const compact = (alternativeId: string, documentName: string) => {
		if (stopped) return;
		pending.set(documentName, 0);
		track(compactDocument(database, alternativeId)).catch((error) => {
			// Nothing is lost: the rows stay until a compaction commits.
			console.error(`[collab] compaction of ${documentName} failed`, error);
		});
	};

	return {
		priority: 100,
		async onLoadDocument({ document, documentName, context }: onLoadDocumentPayload) {
			const alternativeId = alternativeIdOf(documentName);
			if (!alternativeId) throw new CollabRefusal('notFound');
			try {
				const stored = await loadStoredDocument(database, alternativeId);
				Y.applyUpdate(document, Y.encodeStateAsUpdate(stored.doc));
				stored.doc.destroy();
				pending.set(documentName, stored.pendingUpdates);
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
			const { update, syncType } = parseMessage(data);
			if (!update || connection.readOnly) return;
			// A step 2 after reconnect often carries nothing new (it always carries the delete set).
			if (syncType === SYNC_STEP_2 && Y.snapshotContainsUpdate(Y.snapshot(document), update)) return;
			const alternativeId = alternativeIdOf(documentName) as string;
			try {
				await track(appendClientUpdate(database, alternativeId, update, (context as CollabContext).userId ?? null));
			} catch (error) {
				if (error instanceof DocumentLocked) {
					// Frozen in the meantime: answer as read-only (SyncStatus false, not applied).
					connection.readOnly = true;
					return;
				}
				console.error(`[collab] storing an update of ${documentName} failed`, error);
				const refusal = new CollabRefusal('storeFailed', 'store failed');
				closeSocket(connection.request, refusal);
				throw refusal;
			}
			const count = (pending.get(documentName) ?? 0) + 1;
			pending.set(documentName, count);
			if (count >= compactEvery) compact(alternativeId, documentName);
		},

		async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
			const alternativeId = alternativeIdOf(documentName);
			const count = pending.get(documentName) ?? 0;
			pending.delete(documentName);
			if (alternativeId && count > 0) compact(alternativeId, documentName);
		},

		stop() {
			stopped = true;
		},

		async drain() {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		}
	};
}
