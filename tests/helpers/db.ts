import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, prepareDatabase, type Database } from '../../src/lib/server/db/client.ts';

export interface TestDatabase extends Database {
	dir: string;
	path: string;
	/** Closes the connection and deletes the file. */
	destroy(): void;
}

/** A real libSQL file in a fresh temp folder, migrated. Tests never fake the database. */
export async function createTestDatabase(): Promise<TestDatabase> {
	const dir = mkdtempSync(join(tmpdir(), 'yishi-test-'));
	const path = join(dir, 'test.db');
	const database = openDatabase(`file:${path}`);
	await prepareDatabase(database);
	return Object.assign(database, {
		dir,
		path,
		destroy() {
			database.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
}
