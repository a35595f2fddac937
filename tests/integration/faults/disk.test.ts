import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, prepareDatabase, type Database } from '../../../src/lib/server/db/client.ts';
import { auditLog } from '../../../src/lib/server/db/schema/index.ts';
import { handleError } from '../../../src/hooks.server.ts';

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(() => {
	for (const d of opened.splice(0)) d.close();
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function databaseWith(pragmas: string[]) {
	const dir = mkdtempSync(join(tmpdir(), 'yishi-disk-'));
	dirs.push(dir);
	const url = `file:${join(dir, 'd.db')}`;
	const setup = openDatabase(url);
	await prepareDatabase(setup);
	setup.close();
	const database = openDatabase(url, { writerPragmas: pragmas });
	opened.push(database);
	return database;
}

const row = (subjectId: string, detail = '{}') => ({ at: 1, action: 'test', subjectType: 't', subjectId, detail });

async function count(database: Database) {
	return (await database.db.select().from(auditLog)).length;
}

/** What a person would read if this error reached a page. */
function pageMessage(error: unknown) {
	const event = { request: new Request('http://x/'), url: new URL('http://x/') } as never;
	return (handleError as (i: unknown) => { message: string })({ error, event, status: 500, message: 'Internal Error' }).message;
}

describe('a full disk or a read-only database', () => {
	it('a full disk fails the write with a clear message and writes nothing of it', async () => {
		const database = await databaseWith([]);
		await database.write((tx) => tx.insert(auditLog).values(row('before')));
		const pages = Number((await database.client.execute('PRAGMA page_count')).rows[0][0]);
		// Now the file may not grow by more than a couple of pages: the disk is "full".
		const capped = openDatabase(database.url, { writerPragmas: [`PRAGMA max_page_count = ${pages + 2}`] });
		opened.push(capped);
		const big = 'x'.repeat(4000);
		const error = await capped
			.write(async (tx) => {
				for (let i = 0; i < 50; i++) await tx.insert(auditLog).values(row(`big${i}`, big));
			})
			.catch((e) => e);
		expect(String(error?.cause?.message ?? error?.message)).toMatch(/SQLITE_FULL|full/i);
		expect(await count(capped)).toBe(1); // only the row from before
		expect(pageMessage(error)).toContain('服务器存储出了问题，您的操作没有保存');
		// Small writes that fit still go through afterwards.
		await capped.write((tx) => tx.insert(auditLog).values(row('small')));
		expect(await count(capped)).toBe(2);
	});

	it('a read-only database refuses the write with a clear message', async () => {
		const database = await databaseWith(['PRAGMA query_only = 1']);
		const error = await database.write((tx) => tx.insert(auditLog).values(row('x'))).catch((e) => e);
		expect(String(error?.cause?.message ?? error?.message)).toMatch(/readonly|read-only|query_only|SQLITE_READONLY/i);
		expect(await count(database)).toBe(0);
		expect(pageMessage(error)).toMatch(/没有保存/);
	});
});
