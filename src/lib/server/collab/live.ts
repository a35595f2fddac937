/**
 * The bridge from services to documents open in the collaboration server of this process.
 *
 * Services change documents by appending to the database first; this only tells open documents
 * about it afterwards (apply a server-made update, or make every connection read-only after a
 * freeze). Kept on globalThis and keyed by the Database object, because the SvelteKit bundle and
 * the collaboration server are loaded as separate module graphs in production but share one
 * Database (db/client.ts getDatabase). Updates cross this bridge as bytes, never as Y objects,
 * so two copies of yjs could not confuse each other.
 */
import type { Database } from '../db/client.ts';

export interface LiveCollab {
	/** Applies a stored update to the open document, if it is open (or loading). */
	applyUpdate(documentName: string, update: Uint8Array): Promise<void>;
	/** Makes every current connection to the document read-only. */
	lock(documentName: string): void;
	/** Sends a stateless message (JSON text) to every connection of the document, if it is open. */
	tell(documentName: string, payload: string): void;
	/**
	 * The same three, for the other app processes (the Redis bus, bus/redis.ts), when there are
	 * any; each receiving process applies them to its own open documents.
	 */
	share?(
		event:
			{ kind: 'apply'; documentName: string; update: Uint8Array } | { kind: 'lock' | 'tell'; documentName: string; payload?: string }
	): void;
}

const KEY = Symbol.for('yishi.collab.live');
type WithRegistry = typeof globalThis & { [KEY]?: WeakMap<Database, Set<LiveCollab>> };

function registry(): WeakMap<Database, Set<LiveCollab>> {
	const g = globalThis as WithRegistry;
	g[KEY] ??= new WeakMap();
	return g[KEY];
}

export function registerLive(database: Database, live: LiveCollab): () => void {
	const map = registry();
	const set = map.get(database) ?? new Set();
	set.add(live);
	map.set(database, set);
	return () => void set.delete(live);
}

export async function applyToLiveDocument(database: Database, documentName: string, update: Uint8Array): Promise<void> {
	for (const live of registry().get(database) ?? []) {
		await live.applyUpdate(documentName, update);
		live.share?.({ kind: 'apply', documentName, update });
	}
}

export function lockLiveDocument(database: Database, documentName: string): void {
	for (const live of registry().get(database) ?? []) {
		live.lock(documentName);
		live.share?.({ kind: 'lock', documentName });
	}
}

/**
 * Tells open editors of the document that its comments changed, so they re-read them at once
 * (editors connected to another app process hear it over the Redis bus when REDIS_URL is set,
 * otherwise on their 15-second refresh).
 */
export function tellCommentsChanged(database: Database, documentName: string): void {
	for (const live of registry().get(database) ?? []) {
		live.tell(documentName, COMMENTS_EVENT);
		live.share?.({ kind: 'tell', documentName, payload: COMMENTS_EVENT });
	}
}

/** The stateless message for a change of comments (provider 'stateless' event, payload JSON). */
export const COMMENTS_EVENT = JSON.stringify({ event: 'draft.comments' });
