/** The document store: one row per commit group, refused whole when the set is frozen. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { freezeDrafting } from '../../../src/lib/server/drafting/index.ts';
import { readUpdates } from '../../../src/lib/server/drafting/repository.ts';
import { appendClientUpdates, loadStoredDocument, updatesOfRow, type ClientUpdate } from '../../../src/lib/server/drafting/store.ts';
import { seedGateCase } from '../collab/factories.ts';
import { bodyText } from '../collab/harness.ts';
import { setParagraphs } from './helpers.ts';

let database: TestDatabase;
let gate: Awaited<ReturnType<typeof seedGateCase>>;

beforeEach(async () => {
	database = await createTestDatabase();
	gate = await seedGateCase(database);
});
afterEach(() => database.destroy());

/** `n` edits typed one after the other by one editor, as the updates its provider sends. */
function typedUpdates(n: number, prefix: string): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	setParagraphs(doc, ['']);
	const text = (doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
	for (let i = 0; i < n; i++) text.insert(text.length, `${prefix}${i} `);
	return updates;
}

describe('appendClientUpdates', () => {
	it('stores the updates of one sender that arrive together as one row, and loads every one of them', async () => {
		const mine = typedUpdates(25, '甲').map((update): ClientUpdate => ({ alternativeId: gate.altA.id, update, userId: gate.aijianOwner.id }));
		const { refused, rows } = await database.write((tx) => appendClientUpdates(tx, mine));
		expect(refused.size).toBe(0);
		expect(rows).toHaveLength(1);
		const stored = (await readUpdates(database.db, gate.altA.id)).filter((r) => r.seq === rows[0].seq);
		expect(stored).toHaveLength(1);
		expect(stored[0].updateCount).toBe(mine.length);
		expect(updatesOfRow(stored[0]).map((u) => Buffer.from(u).toString('hex'))).toEqual(mine.map((m) => Buffer.from(m.update).toString('hex')));
		const { doc } = await loadStoredDocument(database, gate.altA.id);
		expect(bodyText(doc)).toBe(Array.from({ length: 25 }, (_, i) => `甲${i} `).join(''));
	});

	it('keeps senders apart: one row per sender and alternative', async () => {
		const a = typedUpdates(3, '甲').map((update) => ({ alternativeId: gate.altA.id, update, userId: gate.aijianOwner.id }));
		const b = typedUpdates(3, '乙').map((update) => ({ alternativeId: gate.altA.id, update, userId: gate.hongqiaoResident.id }));
		const c = typedUpdates(2, '丙').map((update) => ({ alternativeId: gate.altB.id, update, userId: gate.aijianOwner.id }));
		const { rows } = await database.write((tx) => appendClientUpdates(tx, [a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2]]));
		expect(rows.map((r) => [r.alternativeId, r.updates.length])).toEqual([
			[gate.altA.id, 3],
			[gate.altA.id, 3],
			[gate.altB.id, 2]
		]);
	});

	it('refuses every update of a frozen set and stores none', async () => {
		await freezeDrafting(database, await gate.coordinator.actor(), gate.draft.set.id);
		const before = await readUpdates(database.db, gate.altA.id);
		const updates = typedUpdates(4, '迟').map((update) => ({ alternativeId: gate.altA.id, update, userId: gate.aijianOwner.id }));
		const { refused, rows } = await database.write((tx) => appendClientUpdates(tx, updates));
		expect([...refused]).toEqual([gate.altA.id]);
		expect(rows).toEqual([]);
		expect(await readUpdates(database.db, gate.altA.id)).toEqual(before);
	});
});
