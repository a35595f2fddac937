/** Set-ups registered as the calling file's beforeEach/afterEach. */
import { afterEach, beforeEach, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.ts';

/**
 * A fresh migrated database before each test, handed to `use` (which may seed it); after the test
 * the mocks are restored and the database is deleted.
 */
export function databaseForEachTest(use: (database: TestDatabase) => unknown): void {
	let database: TestDatabase | undefined;
	beforeEach(async () => {
		database = await createTestDatabase();
		await use(database);
	});
	afterEach(() => {
		vi.restoreAllMocks();
		database?.destroy();
		database = undefined;
	});
}
