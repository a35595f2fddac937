/**
 * /healthz: the database answers, and every migration shipped with this build is applied.
 * 200 with a small JSON report when both hold, 503 otherwise (a load balancer or systemd watchdog
 * then knows the process is up but cannot serve).
 */
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from '../db/client.ts';
import { MIGRATIONS_FOLDER } from '../db/client.ts';
import type { HealthReport } from './registry.ts';

/** The migrations of this build, read once (they do not change while the process runs). */
let expected: { count: number; last: number } | null = null;
function expectedMigrations(folder: string): { count: number; last: number } {
	if (expected === null) {
		const files = readMigrationFiles({ migrationsFolder: folder });
		expected = { count: files.length, last: files.reduce((max, m) => Math.max(max, m.folderMillis), 0) };
	}
	return expected;
}

export async function checkHealth(database: Database, folder: string = MIGRATIONS_FOLDER): Promise<HealthReport> {
	const want = expectedMigrations(folder);
	const report: HealthReport = { ok: false, database: 'unreachable', migrations: { applied: 0, expected: want.count, current: false } };
	try {
		await database.client.execute('SELECT 1');
		report.database = 'ok';
		const applied = await database.client.execute(
			'SELECT count(*) AS n, coalesce(max(created_at), 0) AS last FROM __drizzle_migrations'
		);
		const row = applied.rows[0] as unknown as { n: number; last: number };
		report.migrations.applied = Number(row.n);
		report.migrations.current = Number(row.last) >= want.last && Number(row.n) >= want.count;
	} catch (error) {
		report.error = error instanceof Error ? error.message : String(error);
	}
	report.ok = report.database === 'ok' && report.migrations.current;
	return report;
}
