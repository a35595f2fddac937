import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { TestDatabase } from '../../helpers/db.ts';
import { draftDocSnapshots, draftDocUpdates } from '../../../src/lib/server/db/schema/index.ts';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import { loadStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { answerTo, appendParagraph, bodyText, connect, roundTrip, startServer, waitFor, waitSynced } from './harness.ts';
import type { RunningServer } from './harness.ts';
import { collabForEachTest, type GateCase } from './each-test.ts';

let database: TestDatabase;
let running: RunningServer;
let gate: GateCase;
collabForEachTest((bed) => ({ database, gate } = bed));

const open = connect;

async function storedText(alternativeId: string, db: Database = database): Promise<string> {
	const { doc } = await loadStoredDocument(db, alternativeId);
	return bodyText(doc);
}

describe('collaboration server', () => {
	it('lets two participants from different compounds converge on one alternative', async () => {
		running = await startServer(database);
		const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		const b = open(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
		await waitSynced(a);
		await waitSynced(b);
		expect(a.scope).toBe('read-write');
		appendParagraph(a.doc, '爱建：边门全天开放');
		appendParagraph(b.doc, '虹桥：夜间关闭');
		await waitFor(() => bodyText(a.doc) === bodyText(b.doc) && bodyText(a.doc).split('\n').length === 2, 30_000, 'convergence');
		await waitSynced(a);
		await waitSynced(b);
		expect(await storedText(gate.altA.id)).toBe(bodyText(a.doc));
		expect(a.doc.getMap('header').get('title')).toBe('全天开放');
	});

	it('accepts the yishi_session cookie from a same-origin browser', async () => {
		running = await startServer(database);
		const c = open(running.url, gate.altA.documentName, { cookie: gate.aijianOwner.token, origin: `http://127.0.0.1:${running.port}` });
		await waitSynced(c);
		appendParagraph(c.doc, '用 Cookie 登录的修改');
		await waitSynced(c);
		expect(await storedText(gate.altA.id)).toContain('用 Cookie 登录的修改');
	});

	it('gives a scrutineer a read-only connection whose edits never reach the database or others', async () => {
		running = await startServer(database);
		const editor = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		const reader = open(running.url, gate.altA.documentName, { token: gate.scrutineer.token });
		await waitSynced(editor);
		await waitFor(() => reader.provider.isSynced, 30_000, 'reader synced');
		expect(reader.scope).toBe('readonly');
		const rowsBefore = (await database.db.select().from(draftDocUpdates).where(eq(draftDocUpdates.alternativeId, gate.altA.id))).length;
		// The server answers the reader's edit: refused (SyncStatus false), so it stays unsynced.
		expect(await answerTo(reader, () => appendParagraph(reader.doc, '监票人不该写进去的字'))).toBe(false);
		expect(reader.provider.unsyncedChanges).toBeGreaterThan(0);
		appendParagraph(editor.doc, '业主的修改');
		await waitFor(() => bodyText(reader.doc).includes('业主的修改'), 30_000, 'reader receives edits');
		await waitSynced(editor);
		expect(bodyText(editor.doc)).not.toContain('监票人');
		expect(await storedText(gate.altA.id)).not.toContain('监票人');
		const rowsAfter = (await database.db.select().from(draftDocUpdates).where(eq(draftDocUpdates.alternativeId, gate.altA.id))).length;
		expect(rowsAfter).toBe(rowsBefore + 1);
	});

	it('refuses a resident of a non-participating compound with 4403', async () => {
		running = await startServer(database);
		const c = open(running.url, gate.altA.documentName, { token: gate.outsider.token });
		await waitFor(() => c.closes.some((e) => e.code === 4403), 30_000, 'close 4403');
		expect(c.failures).toContain('forbidden');
		expect(c.provider.isSynced).toBe(false);
	});

	it('refuses a connection without cookie or token with 4401', async () => {
		running = await startServer(database);
		const c = open(running.url, gate.altA.documentName, {});
		await waitFor(() => c.closes.some((e) => e.code === 4401), 30_000, 'close 4401');
		expect(c.failures).toContain('unauthorized');
	});

	it('refuses an invalid token with 4401 and an unknown document with 4404', async () => {
		running = await startServer(database);
		const bad = open(running.url, gate.altA.documentName, { token: 'not-a-session' });
		const unknown = open(running.url, 'alt:doesnotexist', { token: gate.aijianOwner.token });
		await waitFor(() => bad.closes.some((e) => e.code === 4401), 30_000, 'close 4401');
		await waitFor(() => unknown.closes.some((e) => e.code === 4404), 30_000, 'close 4404');
	});

	it('refuses a cross-origin upgrade before any WebSocket exists', async () => {
		running = await startServer(database);
		const status = await new Promise<number | 'open'>((resolve) => {
			const headers = { origin: 'http://evil.example', cookie: `yishi_session=${gate.aijianOwner.token}` };
			const ws = new WebSocket(running.url, { headers });
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.on('open', () => {
				ws.close();
				resolve('open');
			});
			ws.on('error', () => undefined);
		});
		expect(status).toBe(403);
	});

	it('leaves upgrades on other paths to other listeners when asked (vite dev)', async () => {
		running = await startServer(database, { otherUpgrades: 'leave' });
		let seen = false;
		running.server.on('upgrade', (req, socket) => {
			if (req.url === '/other') {
				seen = true;
				socket.destroy();
			}
		});
		await new Promise<void>((resolve) => {
			const ws = new WebSocket(`ws://127.0.0.1:${running.port}/other`);
			ws.on('error', () => resolve());
			ws.on('close', () => resolve());
		});
		expect(seen).toBe(true);
	});

	it('keeps content across a server restart on the same database file', async () => {
		running = await startServer(database);
		const a = open(running.url, gate.altB.documentName, { token: gate.aijianOwner.token });
		await waitSynced(a);
		for (let i = 0; i < 5; i++) appendParagraph(a.doc, `第${i + 1}条：门禁时间`);
		await waitSynced(a);
		a.destroy();
		await running.stop();
		// Stopping compacted the open document from memory: no loose rows left behind.
		expect(await updateRows(gate.altB.id)).toBe(0);
		running = await startServer(database);
		const b = open(running.url, gate.altB.documentName, { token: gate.hongqiaoResident.token });
		await waitSynced(b);
		expect(bodyText(b.doc).split('\n')).toEqual([1, 2, 3, 4, 5].map((i) => `第${i}条：门禁时间`));
	});

	it('acknowledges an edit only after its update is committed', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let reached!: () => void;
		const writeReached = new Promise<void>((r) => (reached = r));
		let holding = false;
		const gated: Database = {
			...database,
			write: async (task) => {
				if (holding) {
					reached();
					await held;
				}
				return database.write(task);
			}
		};
		running = await startServer(gated);
		const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		await waitSynced(a);
		holding = true;
		appendParagraph(a.doc, '先落盘再确认');
		await writeReached;
		try {
			// The write is held: the client must still count the change as unsynced.
			expect(a.provider.unsyncedChanges).toBeGreaterThan(0);
			expect(await storedText(gate.altA.id)).not.toContain('先落盘再确认');
		} finally {
			release();
		}
		await waitSynced(a);
		expect(await storedText(gate.altA.id)).toContain('先落盘再确认');
	});

	it('closes a connection that sends an oversized update with 4413 and leaves the document intact', async () => {
		running = await startServer(database);
		const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		const b = open(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
		await waitSynced(a);
		await waitSynced(b);
		appendParagraph(a.doc, '正常内容');
		await waitSynced(a);
		appendParagraph(a.doc, '巨'.repeat(120_000)); // ~360 KB of UTF-8, above the 256 KB limit
		await waitFor(() => a.closes.some((e) => e.code === 4413), 30_000, 'close 4413');
		a.destroy();
		// Anything the server broadcast to b before now has arrived once b's own later sync is answered.
		await roundTrip(b);
		expect(bodyText(b.doc)).toBe('正常内容');
		expect(await storedText(gate.altA.id)).toBe('正常内容');
		const c = open(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
		await waitSynced(c);
		expect(bodyText(c.doc)).toBe('正常内容');
	});

	it('closes a connection that sends a malformed update with 4400', async () => {
		running = await startServer(database);
		const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		await waitSynced(a);
		// A sync "update" message whose payload is not a Yjs update.
		const encoding = await import('lib0/encoding');
		const enc = encoding.createEncoder();
		encoding.writeVarString(enc, gate.altA.documentName);
		encoding.writeVarUint(enc, 0);
		encoding.writeVarUint(enc, 2);
		encoding.writeVarUint8Array(enc, new Uint8Array([200, 1, 2, 3, 4, 5, 255, 255]));
		a.provider.configuration.websocketProvider.send(encoding.toUint8Array(enc));
		await waitFor(() => a.closes.some((e) => e.code === 4400), 30_000, 'close 4400');
		expect(await storedText(gate.altA.id)).toBe('');
	});

	it('refuses the connection when stored content cannot be loaded, and keeps the stored rows', async () => {
		running = await startServer(database);
		await database.write((tx) =>
			tx
				.insert(draftDocUpdates)
				.values({ alternativeId: gate.altA.id, update: Buffer.from([1, 1, 200, 200, 200]), createdAt: Date.now() })
		);
		const before = await database.db.select().from(draftDocUpdates).where(eq(draftDocUpdates.alternativeId, gate.altA.id));
		const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		await waitFor(() => a.closes.some((e) => e.code === 4503), 30_000, 'close 4503');
		expect(a.provider.isSynced).toBe(false);
		const after = await database.db.select().from(draftDocUpdates).where(eq(draftDocUpdates.alternativeId, gate.altA.id));
		expect(after.map((r) => r.seq)).toEqual(before.map((r) => r.seq));
	});

	it('compacts from the live document when idle, without losing an edit', async () => {
		running = await startServer(database, { compactAfterIdleMs: 50 });
		const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		await waitSynced(a);
		for (let i = 0; i < 25; i++) {
			// One acknowledged update (one stored row) per paragraph.
			appendParagraph(a.doc, `条目${i}`);
			await waitSynced(a);
		}
		await waitSynced(a);
		await waitFor(
			async () => (await updateRows(gate.altA.id)) === 0 && (await snapshotOf(gate.altA.id)) !== null,
			30_000,
			'idle compaction'
		);
		appendParagraph(a.doc, '压缩之后');
		await waitSynced(a);
		const text = await storedText(gate.altA.id);
		expect(text.split('\n')).toEqual([...Array.from({ length: 25 }, (_, i) => `条目${i}`), '压缩之后']);
		const { doc } = await loadStoredDocument(database, gate.altA.id);
		expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThan(5_000);
	});

	it('compacts what the other app process stored too: two servers on one file, no Redis', async () => {
		running = await startServer(database, { compactAfterIdleMs: 50 });
		const second = openDatabase(`file:${database.path}`);
		const other = await startServer(second, { compactAfterIdleMs: 50 });
		try {
			const a = open(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
			const b = open(other.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
			await waitSynced(a);
			await waitSynced(b);
			// Without Redis neither process's live document holds the other's edits.
			for (let i = 0; i < 5; i++) {
				appendParagraph(a.doc, `爱建${i}`);
				await waitSynced(a);
				appendParagraph(b.doc, `虹桥${i}`);
				await waitSynced(b);
			}
			await waitFor(async () => (await updateRows(gate.altA.id)) === 0, 30_000, 'both compacted');
			const lines = (await storedText(gate.altA.id)).split('\n').sort();
			expect(lines).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`爱建${i}`, `虹桥${i}`]).sort());
			// A last edit on one side, after the other side's compaction replaced the snapshot, is kept
			// with everything else when that side compacts again (on unload).
			appendParagraph(b.doc, '最后一句');
			await waitSynced(b);
			a.destroy();
			b.destroy();
			await waitFor(async () => (await updateRows(gate.altA.id)) === 0, 30_000, 'compacted on unload');
			expect((await storedText(gate.altA.id)).split('\n')).toContain('最后一句');
			expect((await storedText(gate.altA.id)).split('\n')).toHaveLength(11);
		} finally {
			await other.stop();
			second.close();
		}
	});
});

async function updateRows(alternativeId: string): Promise<number> {
	const rows = await database.db
		.select({ seq: draftDocUpdates.seq })
		.from(draftDocUpdates)
		.where(eq(draftDocUpdates.alternativeId, alternativeId));
	return rows.length;
}

async function snapshotOf(alternativeId: string): Promise<{ upToSeq: number } | null> {
	const [row] = await database.db
		.select({ upToSeq: draftDocSnapshots.upToSeq })
		.from(draftDocSnapshots)
		.where(eq(draftDocSnapshots.alternativeId, alternativeId));
	return row ?? null;
}
