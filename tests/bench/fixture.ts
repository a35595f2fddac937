/**
 * A fresh Yishi database file for a bench: migrations, the demo (爱建/虹桥/仙霞), and sessions
 * written straight into the sessions table (login is throttled per address, so 200 logins
 * through HTTP would measure the throttle). Uses the app's own services, so nothing is faked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, prepareDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { users } from '../../src/lib/server/db/schema/index.ts';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/sessions.ts';

export interface BenchDb {
	dir: string;
	url: string;
	database: Database;
	close: () => void;
	/** Removes the directory (call after every process using the file has stopped). */
	remove: () => void;
}

export function tempDir(prefix: string): string {
	return mkdtempSync(join(tmpdir(), `yishi-bench-${prefix}-`));
}

export async function createBenchDb(prefix: string, opts: { demo?: boolean } = {}): Promise<BenchDb> {
	const dir = tempDir(prefix);
	const url = `file:${join(dir, 'yishi.db')}`;
	const database = openDatabase(url);
	await prepareDatabase(database);
	if (opts.demo !== false) await seedDemoIfEmpty(database);
	let closed = false;
	const close = () => {
		if (!closed) database.close();
		closed = true;
	};
	return { dir, url, database, close, remove: () => (close(), rmSync(dir, { recursive: true, force: true })) };
}

export async function userIdOf(database: Database, login: string): Promise<string> {
	const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.login, login)).limit(1);
	if (!row) throw new Error(`no user ${login} in the bench database`);
	return row.id;
}

/** n session tokens for the user, written through the app's createSession. */
export async function sessionTokens(database: Database, userId: string, n: number): Promise<string[]> {
	const tokens: string[] = [];
	for (let i = 0; i < n; i++) {
		const token = generateSessionToken();
		await createSession(database, token, userId);
		tokens.push(token);
	}
	return tokens;
}
