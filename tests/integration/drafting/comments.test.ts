import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { addComment, listComments, replyToComment, resolveComment } from '../../../src/lib/server/drafting/index.ts';
import { appendClientUpdate, loadStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import { anchorFromTextRange, textSegments } from '../../../src/lib/domain/drafting/document.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import { seedGateCase } from '../collab/factories.ts';
import { editStored, paragraphText, setParagraphs } from './helpers.ts';

let database: TestDatabase;
let gate: Awaited<ReturnType<typeof seedGateCase>>;

beforeEach(async () => {
	database = await createTestDatabase();
	gate = await seedGateCase(database);
	await editStored(database, gate.altB.id, (doc) => setParagraphs(doc, ['开放时间为6:00至22:00。', '夜间由保安巡逻。']));
});
afterEach(() => database.destroy());

describe('批注', () => {
	it('keeps its anchor on the quoted words when someone concurrently inserts text before them', async () => {
		// A collaborator's copy, taken before the comment exists: their insert is concurrent with it.
		const { doc: collaborator } = await loadStoredDocument(database, gate.altB.id);
		const owner = await gate.aijianOwner.actor();
		const { text } = textSegments((await loadStoredDocument(database, gate.altB.id)).doc.getXmlFragment('content'));
		const from = text.indexOf('保安巡逻');
		const { id, quote } = await addComment(database, owner, {
			alternativeId: gate.altB.id,
			body: '保安费用谁出？',
			range: { from, to: from + 4 }
		});
		expect(quote).toBe('保安巡逻');

		const updates: Uint8Array[] = [];
		collaborator.on('update', (u: Uint8Array) => void updates.push(u));
		paragraphText(collaborator, 1).insert(0, '【修改】');
		paragraphText(collaborator, 0).insert(0, '（草案）');
		for (const u of updates) await appendClientUpdate(database, gate.altB.id, u, gate.hongqiaoResident.id);
		expect(updates).toHaveLength(2);

		const [thread] = await listComments(database, owner, gate.altB.id);
		expect(thread.id).toBe(id);
		expect(thread.position?.text).toBe('保安巡逻');
		expect(thread.position?.from).toBe(from + '【修改】'.length + '（草案）'.length);
	});

	it('accepts anchors made by an editor (relative positions) and threads replies and a resolution', async () => {
		const owner = await gate.aijianOwner.actor();
		const { doc } = await loadStoredDocument(database, gate.altB.id);
		const anchor = anchorFromTextRange(doc, 0, 4)!;
		const { id } = await addComment(database, owner, { alternativeId: gate.altB.id, body: '时间太长', anchor, quote: '开放时间' });
		const reply = await replyToComment(database, await gate.hongqiaoResident.actor(), id, '虹桥这边希望 21:00 关门');
		await replyToComment(database, owner, reply.id, '可以商量');
		await resolveComment(database, await gate.coordinator.actor(), id, '已在第二稿改为21:00');
		await expect(resolveComment(database, owner, id)).rejects.toBeInstanceOf(RuleBroken);

		const [thread] = await listComments(database, await gate.scrutineer.actor(), gate.altB.id);
		expect(thread.quote).toBe('开放时间');
		expect(thread.position).toEqual({ from: 0, to: 4, text: '开放时间' });
		expect(thread.replies.map((r) => r.body)).toEqual(['虹桥这边希望 21:00 关门', '可以商量']);
		expect(thread.resolved?.note).toBe('已在第二稿改为21:00');
	});

	it('marks a comment orphaned when its words are deleted, and stays append-only', async () => {
		const owner = await gate.aijianOwner.actor();
		await addComment(database, owner, { alternativeId: gate.altB.id, body: '删掉这句？', range: { from: 17, to: 21 } });
		await editStored(database, gate.altB.id, (doc) => doc.getXmlFragment('content').delete(1, 1));
		const [thread] = await listComments(database, owner, gate.altB.id);
		expect(thread.position).toBeNull();
		expect(thread.quote).toBe('夜间由保');
	});

	it('refuses readers, outsiders, empty bodies and anchors that point nowhere', async () => {
		await expect(
			addComment(database, await gate.scrutineer.actor(), {
				alternativeId: gate.altB.id,
				body: '监票人意见',
				range: { from: 0, to: 2 }
			})
		).rejects.toBeInstanceOf(AccessDenied);
		await expect(
			addComment(database, await gate.outsider.actor(), { alternativeId: gate.altB.id, body: '外人意见', range: { from: 0, to: 2 } })
		).rejects.toBeInstanceOf(AccessDenied);
		const owner = await gate.aijianOwner.actor();
		await expect(
			addComment(database, owner, { alternativeId: gate.altB.id, body: '   ', range: { from: 0, to: 2 } })
		).rejects.toBeInstanceOf(InvalidInput);
		await expect(
			addComment(database, owner, { alternativeId: gate.altB.id, body: '乱码', anchor: { start: '!!!', end: 'AAAA' }, quote: 'x' })
		).rejects.toBeInstanceOf(InvalidInput);
		const other = new Y.Doc();
		other.getXmlFragment('content').push([new Y.XmlText('别的文档')]);
		const foreign = {
			start: btoa(
				String.fromCharCode(
					...Y.encodeRelativePosition(
						Y.createRelativePositionFromTypeIndex(other.getXmlFragment('content').get(0) as Y.XmlText, 0)
					)
				)
			),
			end: 'AA=='
		};
		await expect(
			addComment(database, owner, { alternativeId: gate.altB.id, body: '错位', anchor: foreign, quote: 'x' })
		).rejects.toBeInstanceOf(InvalidInput);
	});
});
