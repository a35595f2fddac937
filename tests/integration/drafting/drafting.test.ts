import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import {
	createDraft,
	diffVersions,
	freezeDrafting,
	getAlternative,
	getVersionContent,
	listAlternatives,
	listVersions,
	restoreVersion,
	saveVersion
} from '../../../src/lib/server/drafting/index.ts';
import { readUpdates } from '../../../src/lib/server/drafting/repository.ts';
import {
	appendClientUpdate,
	appendClientUpdates,
	DocumentLocked,
	loadStoredDocument,
	updatesOfRow,
	type ClientUpdate
} from '../../../src/lib/server/drafting/store.ts';
import { AccessDenied, RuleBroken } from '../../../src/lib/server/errors.ts';
import { seedGateCase } from '../collab/factories.ts';
import {
	appendParagraph,
	bodyText,
	connect,
	startServer,
	waitFor,
	waitSynced,
	type Client,
	type RunningServer
} from '../collab/harness.ts';
import { editStored, setHeader, setParagraphs } from './helpers.ts';

let database: TestDatabase;
let gate: Awaited<ReturnType<typeof seedGateCase>>;

databaseForEachTest(async (created) => {
	database = created;
	gate = await seedGateCase(database);
});

describe('creating and reading drafts', () => {
	it('refuses a resident who tries to frame the alternatives', async () => {
		await expect(
			createDraft(database, await gate.aijianOwner.actor(), {
				title: '私自起草',
				compoundIds: [gate.tree.aijian],
				alternatives: [{ title: '甲' }]
			})
		).rejects.toBeInstanceOf(AccessDenied);
	});

	it('writes each alternative header on the server, with one entry per participating compound', async () => {
		const view = await getAlternative(database, await gate.aijianOwner.actor(), gate.altB.id);
		expect(view.label).toBe('B');
		expect(view.header).toEqual({
			title: '6:00–22:00 开放并改造公共空间',
			estimatedCost: '',
			whoPays: '',
			gains: { [gate.tree.aijian]: '', [gate.tree.hongqiao]: '' },
			givesUp: { [gate.tree.aijian]: '', [gate.tree.hongqiao]: '' }
		});
		expect(view.canEdit).toBe(true);
		expect(view.documentName).toBe(`alt:${gate.altB.id}`);
	});

	it('lets a scrutineer read but not edit, and refuses an outsider', async () => {
		const list = await listAlternatives(database, await gate.scrutineer.actor(), gate.draft.set.id);
		expect(list.alternatives.map((a) => a.label)).toEqual(['A', 'B', 'C']);
		expect(list.canEdit).toBe(false);
		await expect(saveVersion(database, await gate.scrutineer.actor(), gate.altA.id, '第一稿')).rejects.toBeInstanceOf(AccessDenied);
		await expect(getAlternative(database, await gate.outsider.actor(), gate.altA.id)).rejects.toBeInstanceOf(AccessDenied);
	});
});

describe('versions', () => {
	it('saves named versions and diffs them with insertions and deletions marked', async () => {
		const owner = await gate.aijianOwner.actor();
		await editStored(database, gate.altA.id, (doc) => {
			setHeader(doc, { estimatedCost: '约12万元' });
			setParagraphs(doc, ['边门每天6点开放。', '由物业负责看管。']);
		});
		const first = await saveVersion(database, owner, gate.altA.id, '第一稿');
		await editStored(database, gate.altA.id, (doc) => {
			setHeader(doc, { estimatedCost: '约15万元' });
			setParagraphs(doc, ['边门每天7点开放。', '由物业负责看管。', '夜间加装门禁。']);
		});
		const second = await saveVersion(database, owner, gate.altA.id, '第二稿');
		expect([first.number, second.number]).toEqual([1, 2]);
		expect((await listVersions(database, owner, gate.altA.id)).map((v) => v.name)).toEqual(['第二稿', '第一稿']);

		const diff = await diffVersions(database, owner, first.id, second.id);
		expect(diff.html).toContain('<del>6</del><ins>7</ins>');
		expect(diff.html).toContain('<del>12</del><ins>15</ins>');
		expect(diff.html).toContain('<ins>夜间加装门禁。</ins>');
		expect(diff.html).toContain('<p>由物业负责看管。</p>');
		expect(diff.insertedChars).toBe(2 + 1 + 7);
		expect(diff.deletedChars).toBe(2 + 1);

		const content = await getVersionContent(database, owner, first.id);
		expect(content.html).toContain('<p>边门每天6点开放。</p>');
		expect(content.text).toContain('预计费用：约12万元');
	});

	it('restores a version as a new version and applies it to open editors', async () => {
		const owner = await gate.aijianOwner.actor();
		await editStored(database, gate.altA.id, (doc) => setParagraphs(doc, ['第一稿的内容']));
		const first = await saveVersion(database, owner, gate.altA.id, '第一稿');
		let running: RunningServer | null = null;
		let client: Client | null = null;
		try {
			running = await startServer(database);
			client = connect(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
			await waitSynced(client);
			appendParagraph(client.doc, '后来加的一段');
			await waitSynced(client);
			expect(bodyText(client.doc)).toBe('第一稿的内容\n后来加的一段');

			const restored = await restoreVersion(database, owner, first.id);
			expect(restored).toMatchObject({ number: 2, name: '恢复自「第一稿」', restoredFrom: first.id });
			const c = client;
			await waitFor(() => bodyText(c.doc) === '第一稿的内容', 5000, 'restore reaches the editor');
			const { doc } = await loadStoredDocument(database, gate.altA.id);
			expect(bodyText(doc)).toBe('第一稿的内容');
			// Ordinary editing continues on top of the restore.
			appendParagraph(client.doc, '恢复后继续写');
			await waitSynced(client);
			expect(bodyText((await loadStoredDocument(database, gate.altA.id)).doc)).toBe('第一稿的内容\n恢复后继续写');
		} finally {
			client?.destroy();
			await running?.stop();
		}
	});
});

describe('定稿', () => {
	it('refuses anyone but an agenda manager, then locks every write path', async () => {
		await expect(freezeDrafting(database, await gate.aijianOwner.actor(), gate.draft.set.id)).rejects.toBeInstanceOf(AccessDenied);
		const doc = new Y.Doc();
		await freezeDrafting(database, await gate.coordinator.actor(), gate.draft.set.id);
		appendParagraph(doc, '迟到的修改');
		await expect(appendClientUpdate(database, gate.altA.id, Y.encodeStateAsUpdate(doc), gate.aijianOwner.id)).rejects.toBeInstanceOf(
			DocumentLocked
		);
		await expect(saveVersion(database, await gate.aijianOwner.actor(), gate.altA.id, '第三稿')).rejects.toBeInstanceOf(RuleBroken);
		await expect(freezeDrafting(database, await gate.coordinator.actor(), gate.draft.set.id)).rejects.toBeInstanceOf(RuleBroken);
		expect((await getAlternative(database, await gate.aijianOwner.actor(), gate.altA.id)).canEdit).toBe(false);
	});
});

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
		const userId = gate.aijianOwner.id;
		const mine = typedUpdates(25, '甲').map((update): ClientUpdate => ({ alternativeId: gate.altA.id, update, userId }));
		const { refused, rows } = await database.write((tx) => appendClientUpdates(tx, mine));
		expect(refused.size).toBe(0);
		expect(rows).toHaveLength(1);
		const stored = (await readUpdates(database.db, gate.altA.id)).filter((r) => r.seq === rows[0].seq);
		expect(stored).toHaveLength(1);
		expect(stored[0].updateCount).toBe(mine.length);
		const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
		expect(updatesOfRow(stored[0]).map(hex)).toEqual(mine.map((m) => hex(m.update)));
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
