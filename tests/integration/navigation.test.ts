import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.ts';
import { databaseForEachTest } from '../helpers/each-test.ts';
import { hasReadableDraftSet, listDraftSets } from '../../src/lib/server/drafting/index.ts';
import { navigationFor } from '../../src/lib/server/navigation.ts';
import { loadActor } from '../../src/lib/server/access.ts';
import { notify } from '../../src/lib/server/notifications/inbox.ts';
import { seedGateCase } from './collab/factories.ts';

const seeded = {} as { database: TestDatabase; gate: Awaited<ReturnType<typeof seedGateCase>> };
databaseForEachTest(async (created) => void Object.assign(seeded, { database: created, gate: await seedGateCase(created) }));

describe('the menu of every signed-in page (navigationFor)', () => {
	it('shows 方案 exactly to those for whom the draft list is not empty', async () => {
		const { database, gate } = seeded;
		const people = [gate.coordinator, gate.aijianOwner, gate.hongqiaoResident, gate.outsider, gate.scrutineer];
		const seen: boolean[] = [];
		for (const person of people) {
			const actor = await person.actor();
			const listed = (await listDraftSets(database, actor)).length > 0;
			expect(await hasReadableDraftSet(database, actor)).toBe(listed);
			const nav = await navigationFor(database, actor.userId);
			expect(nav.some((item) => item.href === '/drafts')).toBe(listed);
			seen.push(listed);
		}
		// Both answers occur, so the comparison above can fail either way.
		expect(seen).toContain(true);
		expect(seen).toContain(false);
	});

	it('gives the same menu from the actor the request already read as from a fresh read', async () => {
		const { database, gate } = seeded;
		for (const person of [gate.coordinator, gate.aijianOwner, gate.outsider]) {
			const actor = await loadActor(database, (await person.actor()).userId);
			expect(await navigationFor(database, actor.userId, actor)).toEqual(await navigationFor(database, actor.userId));
		}
	});

	it('reads the actor itself when the one given is someone else’s', async () => {
		const { database, gate } = seeded;
		const owner = await gate.aijianOwner.actor();
		const outsider = await gate.outsider.actor();
		expect(await navigationFor(database, owner.userId, outsider)).toEqual(await navigationFor(database, owner.userId));
	});

	it('counts unread notices in the inbox entry, per person', async () => {
		const { database, gate } = seeded;
		const owner = await gate.aijianOwner.actor();
		const before = await navigationFor(database, owner.userId);
		await database.write((tx) => notify(tx, [owner.userId], { kind: 'test', title: '通知', body: '内容', href: '/inbox' }));
		const after = await navigationFor(database, owner.userId);
		expect(after.find((i) => i.href === '/inbox')!.label).not.toBe(before.find((i) => i.href === '/inbox')!.label);
		const outsider = await gate.outsider.actor();
		expect((await navigationFor(database, outsider.userId)).find((i) => i.href === '/inbox')!.label).toBe(
			before.find((i) => i.href === '/inbox')!.label
		);
	});
});
