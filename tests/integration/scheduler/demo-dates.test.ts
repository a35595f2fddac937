import { afterEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { seedDemoIfEmpty } from '../../../src/lib/server/demo/seed.ts';
import { ballots } from '../../../src/lib/server/db/schema/index.ts';
import { DEMO_RENEWAL_TITLE } from '../../../src/lib/server/voting/demo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { fakeTime } from '../voting/factories.ts';

let database: TestDatabase | null = null;
afterEach(() => {
	database?.destroy();
	database = null;
	vi.restoreAllMocks();
});

// The demo is seeded relative to "today"; its dates must be valid under the period rules on any
// day: inside National Day 2025 (the notice period of the vote in progress runs into the holiday),
// on a Saturday, and on the 调休 working Sunday before it.
describe.each([
	['2025-10-03, inside National Day', Date.UTC(2025, 9, 3, 2)],
	['2026-12-12, a Saturday', Date.UTC(2026, 11, 12, 2)],
	['2025-09-28, a 调休 working Sunday', Date.UTC(2025, 8, 28, 2)]
])('the demo seeded on %s', (_name, now) => {
	it('has its vote in progress and its earlier decision published', { timeout: 120_000 }, async () => {
		fakeTime(now);
		database = await createTestDatabase();
		expect(await seedDemoIfEmpty(database)).not.toBeNull();
		const [renewal] = await database.db.select().from(ballots).where(eq(ballots.title, DEMO_RENEWAL_TITLE));
		expect(renewal.openedAt).not.toBeNull();
		expect(renewal.openedAt! <= now && now < renewal.closesAt).toBe(true);
		expect(renewal.closedAt).toBeNull();
		const closed = await database.db.select({ closedAt: ballots.closedAt }).from(ballots);
		expect(closed.filter((b) => b.closedAt !== null)).toHaveLength(1);
	});
});
