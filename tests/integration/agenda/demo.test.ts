import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { seedDemoIfEmpty } from '../../../src/lib/server/demo/seed.ts';
import { GATE_ITEM_ID, GATE_SESSION_ID } from '../../../src/lib/server/agenda/demo.ts';
import * as agenda from '../../../src/lib/server/agenda/index.ts';
import * as concerns from '../../../src/lib/server/concerns/index.ts';
import * as deliberation from '../../../src/lib/server/deliberation/index.ts';
import { loadActor } from '../../../src/lib/server/access.ts';

let database: TestDatabase;
let ids: Record<string, string>;
beforeAll(async () => {
	database = await createTestDatabase();
	// seedDemoIfEmpty seeds the gate case (seedAgendaDemo) with the rest of the demo.
	const accounts = (await seedDemoIfEmpty(database))!;
	ids = Object.fromEntries(accounts.map((a) => [a.login, a.userId]));
}, 120_000);
afterAll(() => database?.destroy());

const as = (login: string) => loadActor(database, ids[login]);

describe('the gate-case demo', () => {
	it('has a published, co-signed agenda with the gate as a major matter, votable', async () => {
		const view = await agenda.sessionView(database, await as('aijian_owner'), GATE_SESSION_ID);
		expect(view.publishedAt).not.toBeNull();
		expect(view.convenors.map((c) => [c.name, !!c.signedAt])).toEqual([
			['爱建小区业委会', true],
			['虹桥小区业委会', true]
		]);
		expect(view.items[0].rule).toBe('major');
		expect((await agenda.assertVotableAgendaItem(database, GATE_ITEM_ID)).rule).toBe('major');
	});

	it('shows a statement shared by both compounds and one that divides them', async () => {
		const g = await deliberation.commonGround(database, await as('tenant'), GATE_SESSION_ID);
		expect(g.shared.map((s) => s.text)).toEqual(['无论开不开门，都要保证老人和孩子的安全。']);
		expect(g.divisive.map((s) => s.text)).toEqual(['边门应当全天开放。']);
	});

	it('has arguments from both compounds and a meeting with approved minutes', async () => {
		const d = await deliberation.itemDebate(database, await as('hongqiao_owner'), GATE_ITEM_ID);
		expect(new Set(d.arguments.map((a) => a.from))).toEqual(new Set(['爱建小区', '虹桥小区']));
		const [meeting] = await deliberation.sessionMeetings(database, GATE_SESSION_ID);
		expect(meeting.minutesApproved).toBe(true);
	});

	it('the demo facilitator moderates the gate case', async () => {
		const d = await deliberation.itemDebate(database, await as('facilitator'), GATE_ITEM_ID);
		expect(d.may.moderate).toBe(true);
	});

	it('fresh concerns are being co-signed', async () => {
		const list = await concerns.listConcerns(database, await as('hongqiao_owner'));
		expect(list.filter((c) => c.status === 'collecting').length).toBeGreaterThan(0);
	});
});
