/**
 * A response cache for anonymous GETs of public record pages (/records/<id>).
 *
 * Published records never change (a correction is a new record with its own id and hash), so a
 * record id stands for one hash and one document; what does change on the page is live data
 * (objections, follow-through, ratings, a later version) and the time (the dispute window). So an
 * entry is used only while
 * - the record's live-data version (liveVersion: one indexed query for the record's hash, the item's
 *   versions, objections, tasks, progress updates, ratings and closure) is the one it was rendered
 *   with: a change by any process, or by a script on the same file, shows on the next request;
 * - no write has finished in this process since it was rendered (writeEpoch);
 * - it is younger than PAGE_CACHE_TTL_MS, which bounds everything else that can change (the
 *   dispute window ending with the clock, the layout's demo banner);
 * - the test clock's offset is the one it was rendered at (browser tests move time by file).
 *
 * Only the anonymous view is cached: any request carrying a session cookie renders afresh (its
 * page differs: forms, "signed in"), and elder mode is part of the key. Query strings, data
 * requests, anything marked `Cache-Control: private`/`no-store` and anything that is not a plain 200
 * HTML answer without Set-Cookie are never cached.
 */
import { clock } from '../util/clock.ts';
import type { Database } from '../db/client.ts';
import { writeEpoch } from '../db/write-queue.ts';

export const PAGE_CACHE_TTL_MS = 1_000;
const MAX_ENTRIES = 200;
const RECORD_PAGE = /^\/records\/[A-Za-z0-9_-]+$/;

interface Entry {
	version: string;
	status: number;
	headers: [string, string][];
	body: string;
	epoch: number;
	until: number;
}

const entries = new Map<string, Entry>();

interface CacheableRequest {
	request: Request;
	url: URL;
	isDataRequest: boolean;
}

/** The cache key of an anonymous GET of a record page, or null when the request must render. */
export function recordPageKey(
	event: CacheableRequest,
	signedInCookie: boolean,
	elderMode: boolean,
	locale: string = 'zh-CN'
): string | null {
	if (signedInCookie || event.request.method !== 'GET' || event.isDataRequest || event.url.search !== '') return null;
	if (!RECORD_PAGE.test(event.url.pathname) || new URL(event.request.url).pathname !== event.url.pathname) return null;
	return `${event.url.pathname}|${elderMode ? 'elder' : 'plain'}|${locale}|${Math.round((clock.now() - Date.now()) / 1000)}`;
}

/** The record id of a key made by recordPageKey. */
export function recordIdOfKey(key: string): string {
	return key.slice('/records/'.length, key.indexOf('|'));
}

const LIVE_VERSION_SQL = `SELECT r.hash AS hash,
	(SELECT count(*) || '.' || max(seq) FROM outcome_records WHERE item_id = r.item_id) AS versions,
	(SELECT count(*) || '.' || coalesce(max(filed_at), 0) FROM record_objections WHERE item_id = r.item_id) AS objections,
	(SELECT count(*) || '.' || coalesce(max(created_at), 0) FROM followup_tasks WHERE item_id = r.item_id) AS tasks,
	(SELECT count(*) || '.' || coalesce(sum(at), 0) FROM followup_updates
		WHERE task_id IN (SELECT id FROM followup_tasks WHERE item_id = r.item_id)) AS updates,
	(SELECT count(*) || '.' || coalesce(sum(at), 0) FROM outcome_ratings WHERE item_id = r.item_id) AS ratings,
	(SELECT count(*) || '.' || coalesce(max(closed_at), 0) FROM item_closures WHERE item_id = r.item_id) AS closure
FROM outcome_records r WHERE r.id = ?`;

/**
 * What the record page shows that can change, as one string (null: no such record). Rows of
 * these tables are only ever added, except ratings (a resident may rate again: the sum of their
 * times moves) — so counts with the latest time are enough to notice any change.
 */
export async function liveVersion(database: Database, recordId: string): Promise<string | null> {
	const { rows } = await database.client.execute({ sql: LIVE_VERSION_SQL, args: [recordId] });
	const row = rows[0];
	if (!row) return null;
	return [row.hash, row.versions, row.objections, row.tasks, row.updates, row.ratings, row.closure].join('|');
}

export function cachedRecordPage(key: string, version: string | null): Response | null {
	const entry = entries.get(key);
	if (!entry) return null;
	if (version === null || entry.version !== version || entry.epoch !== writeEpoch() || entry.until <= Date.now()) {
		entries.delete(key);
		return null;
	}
	return new Response(entry.body, { status: entry.status, headers: entry.headers });
}

/**
 * Stores a rendered answer under `key` (if it qualifies) and returns a response to send instead.
 * `version` (liveVersion) and `epoch` (writeEpoch) are both read before the page is rendered, so
 * a change made during the render leaves the entry already stale.
 */
export async function storeRecordPage(key: string, version: string | null, epoch: number, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	// A page marked private (it carries something of this request, such as its host) is never shared.
	const cacheControl = response.headers.get('cache-control') ?? '';
	if (response.status !== 200 || !type.startsWith('text/html') || response.headers.has('set-cookie') || !response.body) return response;
	if (/\b(private|no-store)\b/i.test(cacheControl)) return response;
	const body = await response.text();
	const headers = [...response.headers];
	if (version !== null && epoch === writeEpoch()) {
		if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
		entries.set(key, { version, status: response.status, headers, body, epoch, until: Date.now() + PAGE_CACHE_TTL_MS });
	}
	return new Response(body, { status: response.status, headers });
}

/** For tests. */
export function clearRecordPageCache(): void {
	entries.clear();
}
