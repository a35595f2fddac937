/**
 * The reason for src/lib/server/db/embedded-client.ts, measured again: the same statements
 * through @libsql/client and through the embedded client, on one database file, in one process.
 * `npx tsx tests/bench/embedded-client.ts` — the figures at the top of embedded-client.ts come from it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { eq } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { EmbeddedClient } from '../../src/lib/server/db/embedded-client.ts';

const units = sqliteTable('units', {
	id: text('id').primaryKey(),
	building: text('building').notNull(),
	room: text('room').notNull(),
	area: integer('area').notNull()
});

async function prepare(client: Client) {
	await client.execute('PRAGMA journal_mode = WAL'); // as src/lib/server/db/client.ts opens the file
	await client.execute('CREATE TABLE units (id TEXT PRIMARY KEY, building TEXT NOT NULL, room TEXT NOT NULL, area INTEGER NOT NULL)');
	await client.execute('CREATE TABLE casts (id INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, choice TEXT NOT NULL, at INTEGER NOT NULL)');
	const rows = Array.from({ length: 2000 }, (_, i) => ({
		sql: 'INSERT INTO units VALUES (?, ?, ?, ?)',
		args: [`u${i}`, `${1 + (i % 20)}号楼`, String(101 + i), 8950 + i]
	}));
	await client.batch(rows, 'write');
}

async function time(label: string, n: number, run: (i: number) => Promise<unknown>) {
	for (let i = 0; i < 500; i++) await run(i); // warm
	const started = process.hrtime.bigint();
	for (let i = 0; i < n; i++) await run(i);
	const us = Number(process.hrtime.bigint() - started) / 1000 / n;
	return { label, us: Math.round(us * 10) / 10 };
}

async function measure(name: string, client: Client) {
	await prepare(client);
	const db = drizzle(client);
	const results = [
		await time('keyed read (raw SQL)', 20_000, (i) =>
			client.execute({ sql: 'SELECT * FROM units WHERE id = ?', args: [`u${i % 2000}`] })
		),
		await time('keyed read (drizzle)', 20_000, (i) =>
			db
				.select()
				.from(units)
				.where(eq(units.id, `u${i % 2000}`))
		),
		await time('100-row read (raw SQL)', 2_000, (i) =>
			client.execute({ sql: 'SELECT * FROM units WHERE building = ?', args: [`${1 + (i % 20)}号楼`] })
		),
		await time('ballot-sized write transaction (12 statements)', 1_000, async (i) => {
			const tx = await client.transaction('write');
			for (let k = 0; k < 6; k++) await tx.execute({ sql: 'SELECT area FROM units WHERE id = ?', args: [`u${(i + k) % 2000}`] });
			for (let k = 0; k < 6; k++)
				await tx.execute({ sql: 'INSERT INTO casts (unit_id, choice, at) VALUES (?, ?, ?)', args: [`u${i % 2000}`, 'A', i] });
			await tx.commit();
		})
	];
	client.close();
	return { name, results };
}

const dir = mkdtempSync(join(tmpdir(), 'embedded-bench-'));
const libsql = await measure('@libsql/client', createClient({ url: `file:${join(dir, 'a.db')}` }));
const embedded = await measure('embedded', new EmbeddedClient(join(dir, 'b.db'), {}));
for (let i = 0; i < libsql.results.length; i++) {
	const a = libsql.results[i];
	const b = embedded.results[i];
	console.log(`${a.label}: @libsql/client ${a.us} µs, embedded ${b.us} µs (${(a.us / b.us).toFixed(1)}×)`);
}
