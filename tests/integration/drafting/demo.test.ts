import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { seedDemoIfEmpty } from '../../../src/lib/server/demo/seed.ts';
import { seedDraftingDemo } from '../../../src/lib/server/drafting/demo.ts';
import { getAlternative, listAlternatives, listComments, listDraftSets, listVersions } from '../../../src/lib/server/drafting/index.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { users } from '../../../src/lib/server/db/schema/index.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
	await seedDemoIfEmpty(database);
});
afterEach(() => database.destroy());

async function actorOf(login: string) {
	const [u] = await database.db.select({ id: users.id }).from(users).where(eq(users.login, login));
	return loadActor(database, u.id);
}

describe('drafting demo', () => {
	it('seeds the side-gate alternatives with text, a 第一稿 and an anchored comment, once', async () => {
		// seedDemoIfEmpty already seeded it; a second call changes nothing.
		expect(await seedDraftingDemo(database)).toBeNull();

		const owner = await actorOf('hongqiao_owner');
		const sets = await listDraftSets(database, owner);
		expect(sets.map((s) => s.title)).toEqual(['爱建/虹桥边门方案']);
		const { alternatives } = await listAlternatives(database, owner, sets[0].id);
		expect(alternatives).toHaveLength(3);
		expect(alternatives.map((a) => `${a.label}:${a.title}`)).toEqual([
			'A:全天开放',
			'B:6:00–22:00 开放并加装门禁、改造共享空间',
			'C:维持关闭'
		]);

		const b = await getAlternative(database, owner, alternatives[1].id);
		expect(b.header.estimatedCost).toBe('约 12 万元');
		expect(b.text).toContain('门禁系统 | 4 万元');
		expect((await listVersions(database, owner, b.id)).map((v) => v.name)).toEqual(['第一稿']);
		const [thread] = await listComments(database, owner, b.id);
		expect(thread.quote).toBe('22:00 关闭');
		expect(thread.position?.text).toBe('22:00 关闭');

		expect(await listDraftSets(database, await actorOf('xianxia_owner'))).toEqual([]);
	});
});
