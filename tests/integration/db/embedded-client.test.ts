/**
 * The embedded client must be indistinguishable from @libsql/client for everything Yishi and
 * drizzle use: each case runs the same statements through both, on the same real file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, LibsqlBatchError, LibsqlError, type Client, type ResultSet } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { sql } from 'drizzle-orm';
import { EmbeddedClient, embeddedPath, openClient, REMOTE_REFUSED } from '../../../src/lib/server/db/embedded-client.ts';
import { openDatabase } from '../../../src/lib/server/db/client.ts';

let dir: string;
let path: string;
let ours: EmbeddedClient;
let theirs: Client;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'yishi-embedded-'));
	path = join(dir, 'test.db');
	ours = new EmbeddedClient(path, { timeout: 50 });
	theirs = createClient({ url: `file:${path}`, timeout: 50 });
	await ours.execute('PRAGMA journal_mode = WAL');
	await ours.executeMultiple(`
		CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, r REAL, b BLOB, s TEXT);
		CREATE TABLE u (id INTEGER PRIMARY KEY AUTOINCREMENT, t_id TEXT NOT NULL REFERENCES t(id), note TEXT);
	`);
	await ours.execute({ sql: 'INSERT INTO t VALUES (?, ?, ?, ?, ?)', args: ['a', 42, 1.5, new Uint8Array([1, 2, 3]), '中文'] });
	await ours.execute({ sql: 'INSERT INTO t VALUES (?, ?, ?, ?, ?)', args: ['b', null, null, null, null] });
});

afterEach(() => {
	ours.close();
	theirs.close();
	rmSync(dir, { recursive: true, force: true });
});

/** A row as every reader sees it: by name (keys), by index, its length and its JSON. */
function shape(rs: ResultSet) {
	return {
		columns: rs.columns,
		columnTypes: rs.columnTypes,
		keys: rs.rows.map((row) => Object.keys(row)),
		byName: rs.rows.map((row) => Object.fromEntries(Object.keys(row).map((k) => [k, row[k]]))),
		byIndex: rs.rows.map((row) => Array.prototype.slice.call(row)),
		length: rs.rows.map((row) => row.length),
		spread: rs.rows.map((row) => ({ ...row })),
		json: JSON.parse(JSON.stringify(rs))
	};
}

describe('embedded client, against @libsql/client on the same file', () => {
	const reads = [
		'SELECT * FROM t ORDER BY id',
		'SELECT id, n AS value, n AS value, s FROM t ORDER BY id',
		'SELECT count(*), 1 AS "length", 2 AS "0" FROM t',
		'SELECT json_group_array(json_array(id, n)) AS list FROM t',
		'SELECT id FROM t WHERE id = ?'
	];
	for (const text of reads) {
		it(`reads the same rows: ${text}`, async () => {
			const args = text.includes('?') ? ['a'] : [];
			expect(shape(await ours.execute({ sql: text, args }))).toEqual(shape(await theirs.execute({ sql: text, args })));
			// Again, from the kept statement.
			expect(shape(await ours.execute({ sql: text, args }))).toEqual(shape(await theirs.execute({ sql: text, args })));
		});
	}

	it('returns blobs as ArrayBuffer with exactly their bytes', async () => {
		const [row] = (await ours.execute("SELECT b FROM t WHERE id = 'a'")).rows;
		expect(row.b).toBeInstanceOf(ArrayBuffer);
		expect([...new Uint8Array(row.b as ArrayBuffer)]).toEqual([1, 2, 3]);
	});

	it('refuses an integer JavaScript cannot hold exactly, as @libsql/client does', async () => {
		await ours.execute({ sql: 'INSERT INTO t (id, n) VALUES (?, ?)', args: ['big', 9007199254740993n] });
		await expect(ours.execute("SELECT n FROM t WHERE id = 'big'")).rejects.toThrow(RangeError);
		await expect(theirs.execute("SELECT n FROM t WHERE id = 'big'")).rejects.toThrow(RangeError);
		expect((await ours.execute("SELECT n FROM t WHERE id = 'a'")).rows[0].n).toBe(42);
	});

	it('reports writes the same way (rows affected, last rowid)', async () => {
		const a = await ours.execute({ sql: 'INSERT INTO u (t_id, note) VALUES (?, ?)', args: ['a', 'x'] });
		const b = await theirs.execute({ sql: 'INSERT INTO u (t_id, note) VALUES (?, ?)', args: ['a', 'y'] });
		expect([a.rowsAffected, a.lastInsertRowid]).toEqual([1, 1n]);
		expect([b.rowsAffected, b.lastInsertRowid]).toEqual([1, 2n]);
		const upd = await ours.execute("UPDATE u SET note = 'z'");
		expect(upd.rowsAffected).toBe(2);
	});

	it('maps constraint errors to the same codes and message', async () => {
		const insert = { sql: 'INSERT INTO t (id) VALUES (?)', args: ['a'] };
		const mine = await ours.execute(insert).catch((e) => e);
		const other = await theirs.execute(insert).catch((e) => e);
		expect(mine).toBeInstanceOf(LibsqlError);
		expect([mine.code, mine.extendedCode, mine.rawCode, mine.message]).toEqual([
			other.code,
			other.extendedCode,
			other.rawCode,
			other.message
		]);
		expect(mine.code).toBe('SQLITE_CONSTRAINT');
		// The failed statement was not kept in a broken state: the same text works with other values.
		await ours.execute({ sql: insert.sql, args: ['c'] });
		expect((await ours.execute('SELECT count(*) AS n FROM t')).rows[0].n).toBe(3);
	});

	it('reports SQLITE_BUSY when another connection holds the write lock', async () => {
		const tx = await theirs.transaction('write');
		const busy = await ours.transaction('write').catch((e) => e);
		await tx.rollback();
		expect(busy).toBeInstanceOf(LibsqlError);
		expect(busy.code).toBe('SQLITE_BUSY');
		// And works once the lock is free.
		const again = await ours.transaction('write');
		await again.execute("INSERT INTO t (id) VALUES ('after-busy')");
		await again.commit();
		expect((await theirs.execute("SELECT id FROM t WHERE id = 'after-busy'")).rows).toHaveLength(1);
	});

	it('recovers from a statement refused on a lock: later transactions still commit', async () => {
		const tx = await theirs.transaction('write');
		const refused = await ours.execute({ sql: 'INSERT INTO t (id) VALUES (?)', args: ['while-locked'] }).catch((e) => e);
		expect(refused.code).toBe('SQLITE_BUSY');
		await tx.rollback();
		// SQLite keeps a statement refused with BUSY "in progress"; had the connection been reused,
		// this COMMIT would fail with "cannot commit transaction - SQL statements in progress".
		const next = await ours.transaction('write');
		await next.execute({ sql: 'INSERT INTO t (id) VALUES (?)', args: ['while-locked'] });
		await next.commit();
		expect((await theirs.execute("SELECT id FROM t WHERE id = 'while-locked'")).rows).toHaveLength(1);
	});

	it('runs a batch as one transaction, naming the statement that failed', async () => {
		const error = await ours
			.batch(
				[
					{ sql: "INSERT INTO t (id) VALUES ('c')", args: [] },
					{ sql: "INSERT INTO t (id) VALUES ('a')", args: [] }
				],
				'write'
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(LibsqlBatchError);
		expect(error.statementIndex).toBe(1);
		expect((await ours.execute("SELECT id FROM t WHERE id = 'c'")).rows).toHaveLength(0);
		const ok = await ours.batch([{ sql: "INSERT INTO t (id) VALUES ('c')", args: [] }, 'SELECT count(*) AS n FROM t'], 'write');
		expect(ok[1].rows[0].n).toBe(3);
	});

	it('keeps a transaction on its own connection until it ends', async () => {
		const tx = await ours.transaction('write');
		await tx.execute("INSERT INTO t (id) VALUES ('in-tx')");
		// The client's other statements do not see the uncommitted row, and do not join the transaction.
		expect((await ours.execute("SELECT id FROM t WHERE id = 'in-tx'")).rows).toHaveLength(0);
		expect((await tx.execute("SELECT id FROM t WHERE id = 'in-tx'")).rows).toHaveLength(1);
		await tx.rollback();
		expect(tx.closed).toBe(true);
		await expect(tx.execute('SELECT 1')).rejects.toThrow(/closed/);
		expect((await ours.execute("SELECT id FROM t WHERE id = 'in-tx'")).rows).toHaveLength(0);
	});

	it('rolls back savepoints and commits the rest, through drizzle', async () => {
		const db = drizzle(ours);
		await db.transaction(async (tx) => {
			await tx.run(sql`INSERT INTO t (id) VALUES ('kept')`);
			await tx.run(sql`SAVEPOINT task`);
			await tx.run(sql`INSERT INTO t (id) VALUES ('undone')`);
			await tx.run(sql`ROLLBACK TO task`);
			await tx.run(sql`RELEASE task`);
		});
		const ids = await db.all<{ id: string }>(sql`SELECT id FROM t ORDER BY id`);
		expect(ids.map((r) => r.id)).toEqual(['a', 'b', 'kept']);
	});

	it('sees a column added after a statement was kept', async () => {
		const text = "SELECT * FROM t WHERE id = 'a'";
		expect((await ours.execute(text)).columns).toEqual(['id', 'n', 'r', 'b', 's']);
		await theirs.execute('ALTER TABLE t ADD COLUMN extra TEXT');
		const after = await ours.execute(text);
		expect(after.columns).toEqual(['id', 'n', 'r', 'b', 's', 'extra']);
		expect(after.rows[0].extra).toBeNull();
	});

	it('serves only plain files; an in-memory database goes to @libsql/client', () => {
		expect(embeddedPath('file:data/yishi.db')).toMatch(/data\/yishi\.db$/);
		expect(embeddedPath('file:///tmp/a.db')).toBe('/tmp/a.db');
		expect(embeddedPath('file::memory:')).toBeNull();
		expect(embeddedPath('libsql://example.turso.io')).toBeNull();
		expect(embeddedPath('http://127.0.0.1:8080')).toBeNull();
		const memory = openClient('file::memory:');
		expect(memory).not.toBeInstanceOf(EmbeddedClient);
		memory.close();
	});

	it('refuses a libSQL server URL with a clear message (that path is not tested, so not offered)', () => {
		for (const url of ['libsql://example.turso.io', 'http://127.0.0.1:8080', 'https://db.example.org', 'ws://127.0.0.1:8080']) {
			expect(() => openClient(url)).toThrow(REMOTE_REFUSED);
			expect(() => openDatabase(url)).toThrow(/只支持本机数据库文件/);
		}
	});

	it('refuses to open a file it cannot create, at once', () => {
		expect(() => new EmbeddedClient(join(dir, 'missing-dir', 'x.db'))).toThrow(/Unable to open/);
		expect(() => createClient({ url: `file:${join(dir, 'missing-dir', 'x.db')}` })).toThrow(/Unable to open/);
	});

	it('refuses use after close', async () => {
		ours.close();
		await expect(ours.execute('SELECT 1')).rejects.toThrow(/closed/);
	});
});
