import { eq } from 'drizzle-orm';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { users } from '../../../src/lib/server/db/schema/index.ts';
import * as agenda from '../../../src/lib/server/agenda/index.ts';
import * as deliberation from '../../../src/lib/server/deliberation/index.ts';
import { gateWorld } from './world.ts';

type World = Awaited<ReturnType<typeof gateWorld>>;

export interface DeliberationBed {
	database: TestDatabase;
	w: World;
	s: { sessionId: string; itemId: string };
}

/**
 * The set-up the deliberation tests share, as the file's beforeEach/afterEach: a fresh database
 * with the gate-case world and its joint session published and in deliberation, handed to `use`.
 */
export function deliberationForEachTest(use: (bed: DeliberationBed) => unknown): void {
	databaseForEachTest(async (database) => {
		const w = await gateWorld(database);
		await use({ database, w, s: await publishedGateSession(database, w, { phase: 'deliberation' }) });
	});
}

/** deliberationForEachTest with the session's first coordination meeting scheduled. */
export function meetingForEachTest(use: (bed: DeliberationBed & { meetingId: string }) => unknown): void {
	deliberationForEachTest(async (bed) => {
		const meeting = { title: '第一次协调会', startsAt: Date.UTC(2026, 2, 14, 6), place: '虹桥街道社区中心' };
		const { meetingId } = await deliberation.scheduleMeeting(bed.database, await bed.w.facilitator.actor(), bed.s.sessionId, meeting);
		await use({ ...bed, meetingId });
	});
}

/** A published joint session over 爱建 + 虹桥 with both 业委会 as convenors, one major item. */
export async function publishedGateSession(database: Database, w: World, opts: { publish?: boolean; phase?: 'deliberation' } = {}) {
	const [fac] = await database.db.select({ login: users.login }).from(users).where(eq(users.id, w.facilitator.id));
	const { sessionId } = await agenda.createSession(database, await w.coordinator.actor(), {
		title: '爱建、虹桥边门协商',
		kind: 'coordination',
		compoundIds: ['aijian', 'hongqiao'],
		facilitatorLogin: fac.login
	});
	const manager = await w.coordinator.actor();
	await agenda.addConvenor(database, manager, sessionId, 'aijian');
	await agenda.addConvenor(database, manager, sessionId, 'hongqiao');
	const { itemId } = await agenda.addAgendaItem(database, manager, sessionId, {
		title: '边门是否重新开放',
		question: '是否拆除爱建与虹桥之间的边门，并将空间改为共享空间？',
		rule: 'major',
		background: '边门在疫情期间关闭。',
		impacts: [
			{ compoundId: 'aijian', costs: '分摊改造费用', benefits: '到地铁10号线快10分钟' },
			{ compoundId: 'hongqiao', costs: '人流增加', benefits: '共享空间' }
		]
	});
	if (opts.publish !== false) {
		await agenda.signOffAgenda(database, await w.aijianYwh.actor(), sessionId, 'aijian');
		await agenda.signOffAgenda(database, await w.hongqiaoYwh.actor(), sessionId, 'hongqiao');
		await agenda.publishAgenda(database, manager, sessionId);
		if (opts.phase === 'deliberation') await agenda.advancePhase(database, manager, sessionId, 'deliberation');
	}
	return { sessionId, itemId };
}
