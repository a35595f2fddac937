import type { Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/index.ts';
import { WriteQueue } from './write-queue.ts';
import { embeddedPath, openClient } from './embedded-client.ts';

export type Db = LibSQLDatabase<typeof schema>;
/** A transaction handle as seen by a write task (a savepoint inside the group commit). */
export type Tx = Db;

export interface Database {
	url: string;
	client: Client;
	/** For reads. Never write through this handle: writes go through `write`. */
	db: Db;
	/**
	 * Runs `task` inside the process-wide write queue. Tasks queued while a transaction is in
	 * flight are committed together in the next one (group commit), each in its own savepoint so
	 * one failing task does not undo the others. The promise resolves only after COMMIT, so an
	 * acknowledged write is durable.
	 */
	write<T>(task: (tx: Tx) => Promise<T>, options?: WriteOptions): Promise<T>;
	close(): void;
}

export interface WriteOptions {
	/**
	 * Commit without the short wait that lets a group gather under load: for a write someone is
	 * waiting on live (an editor's keystroke, acknowledged only after its commit).
	 */
	immediate?: boolean;
}

/**
 * A query built once per handle and reused: drizzle's prepared query keeps the SQL text, so a hot
 * read skips building it (which costs more than running the kept statement underneath). Built for
 * the handle it will run on (the database's reader, or a transaction inside a write).
 */
export function preparedPerHandle<Q>(build: (reader: Db) => Q): (reader: Db) => Q {
	const built = new WeakMap<Db, Q>();
	return (reader) => {
		let query = built.get(reader);
		if (query === undefined) built.set(reader, (query = build(reader)));
		return query;
	};
}

export const DEFAULT_DATABASE_URL = 'file:data/yishi.db';

/**
 * Native busy wait of the write connection (see openDatabase). 1 ms rather than 5: SQLite's busy
 * handler sleeps on this process's only thread; measured with two app processes on one file,
 * 1 ms gave 20–25% more ballots/s over HTTP than 5 ms, and 0 (fail at once) was worse than both.
 */
const WRITER_BUSY_TIMEOUT_MS = 1;

/**
 * The migrations folder, found from this file so tests, CLI and server agree: the nearest
 * `drizzle/` above it (the repository's from the sources; the copy `npm run build` puts in
 * build/drizzle from a bundle in build/server/chunks or build/cli).
 */
export const MIGRATIONS_FOLDER = findMigrationsFolder(dirname(fileURLToPath(import.meta.url)));

function findMigrationsFolder(from: string): string {
	for (let dir = from; ; dir = dirname(dir)) {
		const candidate = resolve(dir, 'drizzle');
		if (existsSync(resolve(candidate, 'meta/_journal.json'))) return candidate;
		if (dirname(dir) === dir) return resolve(from, '../../../../drizzle');
	}
}

export interface OpenOptions {
	/**
	 * PRAGMAs for the write connection, e.g. a `max_page_count` to cap the file's size. The fault
	 * tests use it to make the disk "full" (SQLITE_FULL) or the database read-only (query_only).
	 */
	writerPragmas?: string[];
}

export function openDatabase(url: string = DEFAULT_DATABASE_URL, options: OpenOptions = {}): Database {
	const path = embeddedPath(url);
	if (path !== null) mkdirSync(dirname(path), { recursive: true });
	const client = openClient(url, {
		// A short native busy wait: the write queue retries BUSY itself without blocking the
		// event loop, so this only smooths over another process's brief commit.
		timeout: 200
	});
	const db = drizzle(client, { schema });
	const local = path !== null;
	// Embedded file: the write queue gets a dedicated connection of its own. A file with options in
	// its URL (@libsql/client): the shared client, whose transactions keep their statements on one
	// stream. A libSQL server is refused by openClient (README, "Database beyond one machine").
	const queue = new WriteQueue(async () => {
		if (!local) return { db, close: () => undefined };
		// A very short native busy wait on the writer: SQLite's busy handler sleeps on the calling
		// thread, which is this process's only one, so a 200 ms wait froze every request of this
		// process while another process committed. The queue retries BUSY asynchronously instead,
		// and meanwhile this process keeps serving and gathers a larger group for its next commit.
		const writer = openClient(url, { timeout: WRITER_BUSY_TIMEOUT_MS, concurrency: 1 });
		for (const pragma of options.writerPragmas ?? []) await writer.execute(pragma);
		return { db: drizzle(writer, { schema }), close: () => writer.close() };
	});
	return {
		url,
		client,
		db,
		write: (task, options) => queue.push(task, options?.immediate === true),
		close: () => {
			queue.close();
			client.close();
		}
	};
}

export async function prepareDatabase(database: Database): Promise<void> {
	if (database.url.startsWith('file:')) {
		// WAL lets readers run beside the single writer; FULL sync makes each COMMIT durable.
		await database.client.execute('PRAGMA journal_mode = WAL');
	}
	await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });
}

const GLOBAL_KEY = Symbol.for('yishi.database');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Database };

/**
 * The process-wide database. Kept on globalThis so the SvelteKit bundle and the collaboration
 * server (loaded separately by the Node entry) share one connection pool and one write queue:
 * two queues in one process would fight each other for SQLite's write lock.
 */
export function getDatabase(): Database {
	const g = globalThis as GlobalWithDb;
	g[GLOBAL_KEY] ??= openDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
	return g[GLOBAL_KEY];
}

export function setDatabase(database: Database): void {
	(globalThis as GlobalWithDb)[GLOBAL_KEY] = database;
}
