import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { TestDatabase } from '../../helpers/db.ts';
import * as deliberation from '../../../src/lib/server/deliberation/index.ts';
import { getAlternative, listDraftSets } from '../../../src/lib/server/drafting/index.ts';
import { appendClientUpdate, DocumentLocked, loadStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import { draftSets } from '../../../src/lib/server/db/schema/index.ts';
import { sha256Hex } from '../../../src/lib/domain/drafting/canonical.ts';
import { CONTENT_FIELD } from '../../../src/lib/domain/drafting/document.ts';
import { AccessDenied, RuleBroken } from '../../../src/lib/server/errors.ts';
import { gateWorld } from './world.ts';
import { meetingForEachTest } from './helpers.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
let s: { sessionId: string; itemId: string };
let meetingId: string;
meetingForEachTest((bed) => ({ database, w, s, meetingId } = bed));

/** What a participant's editor sends: a paragraph appended to the current stored body, as one Yjs update. */
async function typeParagraph(alternativeId: string, userId: string, text: string): Promise<void> {
	const { doc } = await loadStoredDocument(database, alternativeId);
	const before = Y.encodeStateVector(doc);
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText(text)]);
	const content = doc.getXmlFragment(CONTENT_FIELD);
	content.insert(content.length, [paragraph]);
	await appendClientUpdate(database, alternativeId, Y.encodeStateAsUpdate(doc, before), userId);
	doc.destroy();
}

describe('minutes drafted together', () => {
	it('are started once by the chair, as a one-alternative draft set over the session', async () => {
		const first = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		const again = await deliberation.startMinutesDraft(database, await w.coordinator.actor(), meetingId);
		expect(again).toEqual(first);
		expect(await database.db.select().from(draftSets)).toHaveLength(1);
		const alt = await getAlternative(database, await w.aijianResidents[0].actor(), first.alternativeId);
		expect(alt.set).toMatchObject({
			title: '会议纪要：第一次协调会',
			compoundIds: ['aijian', 'hongqiao'],
			sessionId: s.sessionId,
			phase: 'drafting'
		});
		expect(alt.title).toBe('纪要');
		expect((await deliberation.minutesOf(database, await w.tenant.actor(), meetingId)).draft).toMatchObject({
			setId: first.setId,
			alternativeId: first.alternativeId,
			phase: 'drafting'
		});
	});

	it('are listed apart from proposals in the drafts list, linked to their meeting', async () => {
		const { setId } = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		const [listed] = await listDraftSets(database, await w.aijianResidents[0].actor());
		expect(listed.id).toBe(setId);
		expect(listed.minutesOf).toEqual({ meetingTitle: '第一次协调会', href: `/sessions/${s.sessionId}/meetings/${meetingId}` });
	});

	it('refuse non-participants: residents cannot start or approve, outsiders cannot read or write', async () => {
		await expect(deliberation.startMinutesDraft(database, await w.aijianResidents[0].actor(), meetingId)).rejects.toBeInstanceOf(
			AccessDenied
		);
		const { alternativeId } = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		expect((await getAlternative(database, await w.hongqiaoResidents[0].actor(), alternativeId)).canEdit).toBe(true);
		await expect(getAlternative(database, await w.stranger.actor(), alternativeId)).rejects.toBeInstanceOf(AccessDenied);
		await expect(deliberation.minutesOf(database, await w.stranger.actor(), meetingId)).rejects.toBeInstanceOf(AccessDenied);
		await expect(deliberation.approveDraftedMinutes(database, await w.aijianResidents[0].actor(), meetingId)).rejects.toBeInstanceOf(
			AccessDenied
		);
	});

	it('approval freezes the set and records the frozen text with its SHA-256 as the approved version', async () => {
		const { setId, alternativeId } = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		await typeParagraph(alternativeId, w.aijianResidents[0].id, '到会 28 人。');
		await typeParagraph(alternativeId, w.hongqiaoResidents[0].id, '两个小区各自陈述。');
		const { number, textHash } = await deliberation.approveDraftedMinutes(database, await w.coordinator.actor(), meetingId);
		const text = '到会 28 人。\n两个小区各自陈述。';
		expect(textHash).toBe(sha256Hex(text));
		const [set] = await database.db.select().from(draftSets).where(eq(draftSets.id, setId));
		expect(set.phase).toBe('frozen');
		const view = await deliberation.minutesOf(database, await w.tenant.actor(), meetingId);
		expect(view.latest).toMatchObject({ number, text });
		expect(view.approved).toMatchObject({ number, textHash, intact: true });
		expect(view.draft?.phase).toBe('frozen');
	});

	it('refuse editing after approval, on every path', async () => {
		const { alternativeId } = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		await typeParagraph(alternativeId, w.aijianResidents[0].id, '到会 28 人。');
		await deliberation.approveDraftedMinutes(database, await w.facilitator.actor(), meetingId);
		await expect(typeParagraph(alternativeId, w.aijianResidents[0].id, '迟到的修改')).rejects.toBeInstanceOf(DocumentLocked);
		expect((await getAlternative(database, await w.aijianResidents[0].actor(), alternativeId)).canEdit).toBe(false);
		await expect(
			deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, { text: '改一下', baseNumber: 1 })
		).rejects.toThrow('已经审定');
		await expect(deliberation.approveDraftedMinutes(database, await w.coordinator.actor(), meetingId)).rejects.toThrow('已经审定过了');
	});

	it('refuse to approve empty minutes, and leave them open for writing', async () => {
		const { alternativeId } = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		await expect(deliberation.approveDraftedMinutes(database, await w.facilitator.actor(), meetingId)).rejects.toThrow('纪要还是空的');
		expect((await getAlternative(database, await w.aijianResidents[0].actor(), alternativeId)).canEdit).toBe(true);
	});

	it('carry unapproved plain-text minutes into the editor, and close the textarea path', async () => {
		await deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, {
			text: '到会 28 人。\n\n一、开门的需要。',
			baseNumber: 0
		});
		const { alternativeId } = await deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId);
		await expect(
			deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, { text: '旧路', baseNumber: 1 })
		).rejects.toBeInstanceOf(RuleBroken);
		await expect(deliberation.approveMinutes(database, await w.facilitator.actor(), meetingId, 1)).rejects.toThrow('编辑器');
		const { number, textHash } = await deliberation.approveDraftedMinutes(database, await w.facilitator.actor(), meetingId);
		expect(number).toBe(2);
		const view = await deliberation.minutesOf(database, await w.tenant.actor(), meetingId);
		expect(view.latest?.text).toBe('到会 28 人。\n\n一、开门的需要。');
		expect(textHash).toBe(sha256Hex(view.latest!.text));
		expect((await getAlternative(database, await w.tenant.actor(), alternativeId)).set.phase).toBe('frozen');
	});

	it('leave minutes approved as plain text as they were, with the hash recorded from now on', async () => {
		await deliberation.saveMinutes(database, await w.aijianResidents[0].actor(), meetingId, { text: '到会 28 人。', baseNumber: 0 });
		await deliberation.approveMinutes(database, await w.coordinator.actor(), meetingId, 1);
		await expect(deliberation.startMinutesDraft(database, await w.facilitator.actor(), meetingId)).rejects.toThrow('已经审定');
		const view = await deliberation.minutesOf(database, await w.tenant.actor(), meetingId);
		expect(view.draft).toBeNull();
		expect(view.approved).toMatchObject({ number: 1, textHash: sha256Hex('到会 28 人。'), intact: true });
	});
});
