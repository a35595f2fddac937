import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import { addComment, freezeDrafting, getFrozenText, replyToComment, resolveComment } from '../../../src/lib/server/drafting/index.ts';
import { loadStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import { canonicalText, sha256Hex } from '../../../src/lib/domain/drafting/canonical.ts';
import { answerTo, appendParagraph, bodyText, connect, roundTrip, waitFor, waitSynced, type RunningServer } from './harness.ts';
import { collabForEachTest, type GateCase } from './each-test.ts';

let database: TestDatabase;
let running: RunningServer;
let gate: GateCase;
collabForEachTest((bed) => ({ database, gate, running } = bed), { serve: true });

describe('定稿 over live connections', () => {
	it('turns open editors read-only, refuses their later edits, and stores a hash of the canonical text', async () => {
		const editor = connect(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		const watcher = connect(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
		const stateless: string[] = [];
		editor.provider.on('stateless', ({ payload }: { payload: string }) => stateless.push(payload));
		await waitSynced(editor);
		await waitSynced(watcher);
		appendParagraph(editor.doc, '边门全天开放，加装监控。');
		await waitSynced(editor);

		const result = await freezeDrafting(database, await gate.coordinator.actor(), gate.draft.set.id);
		expect(result.alternatives.map((a) => a.label)).toEqual(['A', 'B', 'C']);
		await waitFor(() => stateless.length > 0, 5000, 'frozen notice');
		expect(JSON.parse(stateless[0])).toEqual({ event: 'draft.frozen' });

		// An old connection keeps trying: never acknowledged, never stored, never seen by others.
		expect(await answerTo(editor, () => appendParagraph(editor.doc, '定稿后偷偷加的一句'))).toBe(false);
		expect(editor.provider.unsyncedChanges).toBeGreaterThan(0);
		await roundTrip(watcher);
		expect(bodyText(watcher.doc)).not.toContain('定稿后');
		const { doc } = await loadStoredDocument(database, gate.altA.id);
		expect(bodyText(doc)).not.toContain('定稿后');

		// A new connection of an editor is read-only.
		const late = connect(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		await waitFor(() => late.provider.isSynced, 5000, 'late synced');
		expect(late.scope).toBe('readonly');

		const frozen = await getFrozenText(database, await gate.scrutineer.actor(), gate.altA.id);
		expect(frozen.intact).toBe(true);
		expect(frozen.textHash).toBe(sha256Hex(frozen.text));
		const expected = canonicalText({
			label: 'A',
			header: { title: '全天开放', estimatedCost: '', whoPays: '', gains: {}, givesUp: {} },
			compounds: [
				{ id: gate.tree.aijian, name: '爱建小区' },
				{ id: gate.tree.hongqiao, name: '虹桥小区' }
			],
			blocks: ['边门全天开放，加装监控。']
		});
		expect(frozen.text).toBe(expected);
		expect(frozen.textHash).toBe(sha256Hex(expected));
		expect(frozen.html).toContain('<p>边门全天开放，加装监控。</p>');
	});

	it('tells open editors at once when a comment is added, answered or resolved', async () => {
		const writer = connect(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		const reader = connect(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
		const other = connect(running.url, gate.altB.documentName, { token: gate.hongqiaoResident.token });
		const heard: string[] = [];
		const heardElsewhere: string[] = [];
		reader.provider.on('stateless', ({ payload }: { payload: string }) => heard.push(payload));
		other.provider.on('stateless', ({ payload }: { payload: string }) => heardElsewhere.push(payload));
		await waitSynced(writer);
		await waitSynced(reader);
		await waitSynced(other);
		appendParagraph(writer.doc, '边门早六点到晚十点开放。');
		await waitSynced(writer);

		const { id } = await addComment(database, await gate.aijianOwner.actor(), {
			alternativeId: gate.altA.id,
			body: '晚上十点太早了吗？',
			range: { from: 0, to: 4 }
		});
		await waitFor(() => heard.length === 1, 5000, 'comment notice');
		await replyToComment(database, await gate.hongqiaoResident.actor(), id, '十点可以。');
		await waitFor(() => heard.length === 2, 5000, 'reply notice');
		await resolveComment(database, await gate.aijianOwner.actor(), id);
		await waitFor(() => heard.length === 3, 5000, 'resolution notice');
		expect(heard.map((p) => JSON.parse(p))).toEqual([
			{ event: 'draft.comments' },
			{ event: 'draft.comments' },
			{ event: 'draft.comments' }
		]);
		// Only the document the comment belongs to is told: a notice sent to the other one would have
		// arrived before the answer to its later sync request.
		await roundTrip(other);
		expect(heardElsewhere).toEqual([]);
	});
});
