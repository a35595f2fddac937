import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { auditLog } from '../../src/lib/server/db/schema/index.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => database.destroy());

const row = (subjectId: string) => ({ at: 1, action: 'test', subjectType: 't', subjectId, detail: '{}' });

describe('write queue', () => {
	it('commits many concurrent writes without a single BUSY error', async () => {
		const writes = Array.from({ length: 500 }, (_, i) => database.write((tx) => tx.insert(auditLog).values(row(`s${i}`))));
		await Promise.all(writes);
		const [{ n }] = await database.db.select({ n: sql<number>`count(*)` }).from(auditLog);
		expect(n).toBe(500);
	});

	it('rolls back only the failing task of a group commit', async () => {
		const results = await Promise.allSettled([
			database.write((tx) => tx.insert(auditLog).values(row('a'))),
			database.write(async (tx) => {
				await tx.insert(auditLog).values(row('b'));
				throw new Error('refused');
			}),
			database.write((tx) => tx.insert(auditLog).values(row('c')))
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		const subjects = (await database.db.select({ s: auditLog.subjectId }).from(auditLog)).map((r) => r.s).sort();
		expect(subjects).toEqual(['a', 'c']);
	});

	it('waits out another connection holding the write lock instead of failing', async () => {
		const other = openDatabase(`file:${database.path}`);
		const tx = await other.client.transaction('write');
		await tx.execute("INSERT INTO audit_log (at, action, subject_type, subject_id, detail) VALUES (1, 'x', 't', 'held', '{}')");
		const pending = database.write((t) => t.insert(auditLog).values(row('after')));
		await new Promise((r) => setTimeout(r, 300));
		await tx.commit();
		await pending;
		other.close();
		const subjects = (await database.db.select({ s: auditLog.subjectId }).from(auditLog)).map((r) => r.s).sort();
		expect(subjects).toEqual(['after', 'held']);
	});
});
