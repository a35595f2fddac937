import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import { decide } from '../../../src/lib/domain/access/policy.ts';
import { compoundsByName, requireSessionAccess, sessionAudience } from '../../../src/lib/server/agenda/common.ts';
import { AccessDenied, NotFound } from '../../../src/lib/server/errors.ts';
import { newUser } from '../communities/factories.ts';
import { gateWorld } from './world.ts';
import { deliberationForEachTest } from './helpers.ts';

let database: TestDatabase;
let w: Awaited<ReturnType<typeof gateWorld>>;
let s: { sessionId: string; itemId: string };
deliberationForEachTest((bed) => ({ database, w, s } = bed));

describe('the shared session helpers', () => {
	it('lets in whoever may do one of the actions, and returns the session with its target', async () => {
		// An administrator manages every session but takes part in none.
		const admin = await (await newUser(database, { grants: [{ role: 'admin', scopeId: null }] })).actor();
		await expect(requireSessionAccess(database, admin, s.sessionId, 'deliberation.participate')).rejects.toBeInstanceOf(AccessDenied);
		const { session, target } = await requireSessionAccess(database, admin, s.sessionId, 'deliberation.participate', 'agenda.manage');
		expect(session.id).toBe(s.sessionId);
		expect(target.sessionId).toBe(s.sessionId);
		expect(target.compounds.map((c) => c.id).sort()).toEqual(['aijian', 'hongqiao']);
	});

	it("refuses with the first action's words, and an unknown session as not found", async () => {
		const stranger = await w.stranger.actor();
		const { target } = await requireSessionAccess(database, await w.tenant.actor(), s.sessionId, 'deliberation.participate');
		const decision = decide(stranger, 'deliberation.participate', target);
		if (decision.allowed) throw new Error('a stranger may not take part');
		await expect(requireSessionAccess(database, stranger, s.sessionId, 'deliberation.participate', 'agenda.manage')).rejects.toThrow(
			decision.reason
		);
		await expect(requireSessionAccess(database, stranger, 'no-such-session', 'agenda.manage')).rejects.toBeInstanceOf(NotFound);
	});

	it("tells every resident of the session's compounds once, and only residents", async () => {
		const { session } = await requireSessionAccess(database, await w.facilitator.actor(), s.sessionId, 'agenda.manage');
		const audience = await sessionAudience(database.db, session);
		const residents = [...w.aijianResidents, ...w.hongqiaoResidents, w.tenant].map((u) => u.id);
		expect([...audience].sort()).toEqual([...residents].sort());
		expect(audience).not.toContain(w.aijianYwh.id);
	});

	it('lists every compound by name', async () => {
		expect(await compoundsByName(database.db)).toEqual([
			{ id: 'aijian', name: '爱建小区' },
			{ id: 'hongqiao', name: '虹桥小区' }
		]);
	});
});
