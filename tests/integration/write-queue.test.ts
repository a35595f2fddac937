import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { auditLog } from '../../src/lib/server/db/schema/index.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { writeEpoch } from '../../src/lib/server/db/write-queue.ts';

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
		const refusedBefore = writeEpoch();
		let settled = false;
		const pending = database.write((t) => t.insert(auditLog).values(row('after'))).finally(() => (settled = true));
		// The queue met the lock (every refused attempt moves the epoch) and is still waiting, not failed.
		await expect.poll(() => writeEpoch() - refusedBefore, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
		expect(settled).toBe(false);
		await tx.commit();
		await pending;
		other.close();
		const subjects = (await database.db.select({ s: auditLog.subjectId }).from(auditLog)).map((r) => r.s).sort();
		expect(subjects).toEqual(['after', 'held']);
	});

	it('under load gathers the writes arriving right after a commit into one group; an immediate write does not wait', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
		try {
			await database.write((tx) => tx.insert(auditLog).values(row('a')));
			// A commit just ended: the next group waits a moment for more.
			const before = writeEpoch();
			const b = database.write((tx) => tx.insert(auditLog).values(row('b')));
			const c = database.write((tx) => tx.insert(auditLog).values(row('c')));
			await vi.advanceTimersByTimeAsync(10);
			await Promise.all([b, c]);
			expect(writeEpoch() - before).toBe(1);
			// Immediate: commits without any timer running (with fake timers a wait would never end).
			const again = writeEpoch();
			await database.write((tx) => tx.insert(auditLog).values(row('d')), { immediate: true });
			expect(writeEpoch() - again).toBe(1);
		} finally {
			vi.useRealTimers();
		}
		const subjects = (await database.db.select({ s: auditLog.subjectId }).from(auditLog)).map((r) => r.s).sort();
		expect(subjects).toEqual(['a', 'b', 'c', 'd']);
	});
});
