import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { auditLog } from '../../src/lib/server/db/schema/index.ts';
import { writeEpoch } from '../../src/lib/server/db/write-queue.ts';
import {
	cachedRecordPage,
	clearRecordPageCache,
	liveVersion,
	recordPageKey,
	storeRecordPage,
	PAGE_CACHE_TTL_MS
} from '../../src/lib/server/records/page-cache.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
	clearRecordPageCache();
});
afterEach(() => database.destroy());

const request = (path: string, method = 'GET') => {
	const url = new URL(`http://localhost${path}`);
	return { request: new Request(url, { method }), url, isDataRequest: false };
};
const html = (body: string, headers: Record<string, string> = {}) =>
	new Response(body, { status: 200, headers: { 'content-type': 'text/html', ...headers } });

describe('public record page cache', () => {
	it('caches only anonymous plain GETs of /records/<id>, keyed on elder mode', () => {
		expect(recordPageKey(request('/records/abc123'), false, false)).not.toBeNull();
		expect(recordPageKey(request('/records/abc123'), true, false)).toBeNull(); // session cookie
		expect(recordPageKey(request('/records/abc123', 'POST'), false, false)).toBeNull();
		expect(recordPageKey(request('/records/abc123?x=1'), false, false)).toBeNull();
		expect(recordPageKey(request('/records'), false, false)).toBeNull();
		expect(recordPageKey(request('/records/feed.xml'), false, false)).toBeNull();
		expect(recordPageKey(request('/records/abc/notice'), false, false)).toBeNull();
		expect(recordPageKey({ ...request('/records/abc123'), isDataRequest: true }, false, false)).toBeNull();
		expect(recordPageKey(request('/records/abc123'), false, true)).not.toBe(recordPageKey(request('/records/abc123'), false, false));
		// Each language is its own page: an English reader must never be served the Chinese copy, nor the reverse.
		expect(recordPageKey(request('/records/abc123'), false, false, 'en')).not.toBe(
			recordPageKey(request('/records/abc123'), false, false)
		);
	});

	it('serves a stored page until a write finishes in this process', async () => {
		const key = recordPageKey(request('/records/abc123'), false, false)!;
		const sent = await storeRecordPage(key, 'v1', writeEpoch(), html('<p>v1</p>'));
		expect(await sent.text()).toBe('<p>v1</p>');
		expect(await cachedRecordPage(key, 'v1')!.text()).toBe('<p>v1</p>');
		// Another process changed the record's live data: a new version string.
		expect(cachedRecordPage(key, 'v2')).toBeNull();
		await storeRecordPage(key, 'v1', writeEpoch(), html('<p>v1</p>'));
		await database.write((tx) => tx.insert(auditLog).values({ at: 1, action: 'test', subjectType: 't', subjectId: 's', detail: '{}' }));
		expect(cachedRecordPage(key, 'v1')).toBeNull();
	});

	it('does not store a page rendered while a write finished, nor errors or cookies', async () => {
		const key = recordPageKey(request('/records/abc123'), false, false)!;
		const before = writeEpoch();
		await database.write((tx) => tx.insert(auditLog).values({ at: 1, action: 'test', subjectType: 't', subjectId: 's', detail: '{}' }));
		await storeRecordPage(key, 'v1', before, html('<p>old</p>'));
		expect(cachedRecordPage(key, 'v1')).toBeNull();
		await storeRecordPage(key, 'v1', writeEpoch(), html('<p>x</p>', { 'set-cookie': 'a=b' }));
		expect(cachedRecordPage(key, 'v1')).toBeNull();
		await storeRecordPage(key, 'v1', writeEpoch(), new Response('gone', { status: 404, headers: { 'content-type': 'text/html' } }));
		expect(cachedRecordPage(key, 'v1')).toBeNull();
	});

	it("never shares a page marked Cache-Control: private (it carries the request's own host)", async () => {
		const key = recordPageKey(request('/records/abc123'), false, false)!;
		const sent = await storeRecordPage(
			key,
			'v1',
			writeEpoch(),
			html('<p>http://192.168.1.5:3000/records/abc123</p>', { 'cache-control': 'private' })
		);
		expect(await sent.text()).toContain('192.168.1.5');
		expect(cachedRecordPage(key, 'v1')).toBeNull();
	});

	it('reads a live-data version only for existing records', async () => {
		expect(await liveVersion(database, 'no-such-record')).toBeNull();
	});

	it('expires within the TTL (writes of other processes)', async () => {
		expect(PAGE_CACHE_TTL_MS).toBeLessThanOrEqual(2_000);
		const key = recordPageKey(request('/records/abc123'), false, false)!;
		await storeRecordPage(key, 'v1', writeEpoch(), html('<p>v1</p>'));
		const realNow = Date.now;
		Date.now = () => realNow() + PAGE_CACHE_TTL_MS + 1;
		try {
			expect(cachedRecordPage(key, 'v1')).toBeNull();
		} finally {
			Date.now = realNow;
		}
	});
});

describe('session and actor in one statement', () => {
	it('gives the same session, user and actor as validateSessionToken + loadActor', async () => {
		const { seedDemoIfEmpty } = await import('../../src/lib/server/demo/seed.ts');
		const { createSession, generateSessionToken, validateSessionAndActor, validateSessionToken } =
			await import('../../src/lib/server/auth/sessions.ts');
		const { loadActor } = await import('../../src/lib/server/access.ts');
		const { users } = await import('../../src/lib/server/db/schema/index.ts');
		await seedDemoIfEmpty(database);
		const all = await database.db.select({ id: users.id }).from(users);
		let checked = 0;
		for (const { id } of all) {
			const token = generateSessionToken();
			await createSession(database, token, id);
			const combined = await validateSessionAndActor(database, token);
			const plain = await validateSessionToken(database, token);
			expect(combined.session).toEqual(plain.session);
			expect(combined.user).toEqual(plain.user);
			const actor = await loadActor(database, id);
			const sort = <T>(list: T[]) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
			expect(sort(combined.actor!.grants)).toEqual(sort(actor.grants));
			expect(sort(combined.actor!.memberships)).toEqual(sort(actor.memberships));
			checked += actor.grants.length + actor.memberships.length;
		}
		expect(checked).toBeGreaterThan(0);
		expect((await validateSessionAndActor(database, 'not-a-token')).actor).toBeNull();
	});
});
