/**
 * Backups under write load: a snapshot taken while writes keep committing through the write queue
 * restores to an intact database holding every write acknowledged before the backup began.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import {
	backupDatabase,
	backupName,
	pruneBackups,
	scheduleFromEnv,
	msUntilHour,
	startBackupSchedule
} from '../../../src/lib/server/ops/backup.ts';

let database: TestDatabase | null = null;
afterEach(() => {
	database?.destroy();
	database = null;
});

/** Keeps writing rows through the write queue until stopped; records each id once its commit is acknowledged. */
function writeLoad(db: TestDatabase) {
	const acked: number[] = [];
	const errors: unknown[] = [];
	let running = true;
	let next = 0;
	const workers = Array.from({ length: 4 }, async () => {
		while (running) {
			const id = next++;
			try {
				await db.write((tx) => tx.run(sql`INSERT INTO load_marks (id, payload) VALUES (${id}, ${'x'.repeat(512)})`));
				acked.push(id);
			} catch (error) {
				errors.push(error);
			}
		}
	});
	return {
		acked,
		errors,
		async stop() {
			running = false;
			await Promise.all(workers);
		}
	};
}

async function prepareLoad(db: TestDatabase) {
	await db.client.execute('CREATE TABLE load_marks (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
	// About 20 MB, so the snapshot takes a while to copy.
	for (let i = 0; i < 40; i++)
		await db.write((tx) =>
			tx.run(sql`INSERT INTO load_marks (id, payload)
				WITH RECURSIVE n(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM n WHERE v < 999)
				SELECT ${1_000_000 + i * 1000} + v, hex(randomblob(256)) FROM n`)
		);
}

async function restoreAndCheck(backupPath: string, restoreDir: string, mustHave: number[]) {
	// The documented restore: copy the backup over the (stopped) server's database file.
	const restored = join(restoreDir, 'restored.db');
	copyFileSync(backupPath, restored);
	const copy = openDatabase(`file:${restored}`);
	try {
		expect(String((await copy.client.execute('PRAGMA integrity_check')).rows[0][0])).toBe('ok');
		const rows = await copy.client.execute('SELECT id FROM load_marks WHERE id < 1000000');
		const present = new Set(rows.rows.map((r) => Number(r.id)));
		const missing = mustHave.filter((id) => !present.has(id));
		expect(missing).toEqual([]);
		// The schema came along: the migrations table is there and complete.
		const migrations = await copy.client.execute('SELECT count(*) AS n FROM __drizzle_migrations');
		expect(Number(migrations.rows[0].n)).toBeGreaterThan(0);
	} finally {
		copy.close();
	}
}

describe('backup', () => {
	it('in the server process: a snapshot taken while writes commit holds every write acknowledged before it', async () => {
		database = await createTestDatabase();
		await prepareLoad(database);
		const load = writeLoad(database);
		await expect.poll(() => load.acked.length, { timeout: 30_000 }).toBeGreaterThan(200);
		const before = [...load.acked];
		const result = await backupDatabase(database.client, database.url, join(database.dir, 'backups'));
		const during = load.acked.length - before.length;
		await expect.poll(() => load.acked.length, { timeout: 30_000 }).toBeGreaterThan(before.length + during + 50);
		await load.stop();
		expect(load.errors).toEqual([]);
		expect(result.path).toMatch(/yishi-\d{8}-\d{6}Z\.db$/);
		expect(readdirSync(join(database.dir, 'backups')).some((n) => n.endsWith('.partial'))).toBe(false);
		await restoreAndCheck(result.path, database.dir, before);
	});

	it('from another process (npm run backup -- DIR) while this one writes', async () => {
		database = await createTestDatabase();
		await prepareLoad(database);
		const load = writeLoad(database);
		await expect.poll(() => load.acked.length, { timeout: 30_000 }).toBeGreaterThan(200);
		const before = [...load.acked];
		const dir = join(database.dir, 'cli-backups');
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/backup.ts', dir, '--keep', '7'], {
			env: { ...process.env, DATABASE_URL: database.url },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const code = await new Promise<number | null>((done) => child.on('exit', done));
		const ackedWhileBackingUp = load.acked.length - before.length;
		await load.stop();
		expect(code, output).toBe(0);
		expect(load.errors).toEqual([]);
		// The server kept committing while the other process copied the file.
		expect(ackedWhileBackingUp).toBeGreaterThan(0);
		const written = readdirSync(dir).filter((n) => /^yishi-.*\.db$/.test(n));
		expect(written).toHaveLength(1);
		expect(output).toContain('已备份');
		await restoreAndCheck(join(dir, written[0]), database.dir, before);
	});

	it('names backups by time, keeps BACKUP_KEEP days, and schedules the next one at BACKUP_HOUR', async () => {
		database = await createTestDatabase();
		const at = new Date(Date.UTC(2026, 11, 7, 3, 15, 0));
		expect(backupName(at)).toBe('yishi-20261207-031500Z.db');
		const dir = join(database.dir, 'keep');
		mkdirSync(dir);
		for (const day of [1, 5, 6]) writeFileSync(join(dir, backupName(new Date(Date.UTC(2026, 11, day, 3)))), '');
		writeFileSync(join(dir, 'notes.txt'), 'not a backup');
		expect(pruneBackups(dir, 3, at)).toEqual(['yishi-20261201-030000Z.db']);
		expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'yishi-20261205-030000Z.db', 'yishi-20261206-030000Z.db']);
		// Two backups in one second keep both.
		const first = await backupDatabase(database.client, database.url, dir, at);
		const second = await backupDatabase(database.client, database.url, dir, at);
		expect(first.path).not.toBe(second.path);
		expect(existsSync(first.path) && existsSync(second.path)).toBe(true);

		expect(scheduleFromEnv({})).toBeNull();
		expect(scheduleFromEnv({ BACKUP_DIR: '/var/backups/yishi' })).toEqual({ dir: '/var/backups/yishi', keepDays: 14, hour: 3 });
		expect(() => scheduleFromEnv({ BACKUP_DIR: '/x', BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/);
		expect(() => scheduleFromEnv({ BACKUP_DIR: '/x', BACKUP_HOUR: '24' })).toThrow(/BACKUP_HOUR/);
		const now = new Date(2026, 11, 7, 2, 30, 0);
		expect(msUntilHour(now, 3)).toBe(30 * 60 * 1000);
		expect(msUntilHour(new Date(2026, 11, 7, 3, 0, 0), 3)).toBe(24 * 60 * 60 * 1000);
	});

	it('the nightly schedule backs up at BACKUP_HOUR and removes backups older than BACKUP_KEEP days', async () => {
		database = await createTestDatabase();
		const dir = join(database.dir, 'nightly');
		mkdirSync(dir);
		const old = backupName(new Date(2026, 10, 1, 3));
		writeFileSync(join(dir, old), '');
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
		const lines: string[] = [];
		let stop: (() => void) | undefined;
		try {
			vi.setSystemTime(new Date(2026, 11, 7, 2, 59, 0));
			stop = startBackupSchedule(database.client, database.url, { dir, keepDays: 14, hour: 3, log: (line) => lines.push(line) });
			await vi.advanceTimersByTimeAsync(59_000);
			expect(readdirSync(dir)).toEqual([old]); // not yet 03:00
			await vi.advanceTimersByTimeAsync(1_000);
		} finally {
			vi.useRealTimers();
		}
		await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(1);
		stop?.();
		expect(lines[0]).toContain('已备份');
		const names = readdirSync(dir);
		// Taken at 03:00 local time, named in UTC; the one from November is gone.
		expect(names).toEqual([backupName(new Date(2026, 11, 7, 3, 0, 0))]);
	});
});
