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

/**
 * Acts as someone editing the database file directly: drops the append-only triggers of `tables`
 * (migration 0016, which refuses any rewrite from the application), runs `edit`, and puts them back.
 * Tests of tamper detection (record verification, the result's recount) need a rewritten row; the
 * triggers are what make the application itself unable to write one.
 */
export async function tamper(database: Database, tables: string[], edit: () => Promise<unknown>): Promise<void> {
	const placeholders = tables.map(() => '?').join(', ');
	const sql = `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${placeholders})`;
	const { rows } = await database.client.execute({ sql, args: tables });
	const triggers = rows as unknown as { name: string; sql: string }[];
	for (const t of triggers) await database.client.execute(`DROP TRIGGER ${t.name}`);
	try {
		await edit();
	} finally {
		for (const t of triggers) await database.client.execute(t.sql);
	}
}
