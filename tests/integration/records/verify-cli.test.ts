import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { publishPreliminaryRecord } from '../../../src/lib/server/records/index.ts';
import { tamper, type TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { fakeTime, newClosedBallot, newRecordsWorld } from './factories.ts';

let database: TestDatabase;
databaseForEachTest((created) => (database = created));

function verify(path: string): { code: number; out: string } {
	try {
		return {
			code: 0,
			out: execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/verify-records.ts', path], { encoding: 'utf8' })
		};
	} catch (e) {
		const err = e as { status: number; stdout: string };
		return { code: err.status, out: err.stdout };
	}
}

it('the verify CLI passes a database file, and fails it after a stored figure is changed', async () => {
	const world = await newRecordsWorld(database, fakeTime(Date.UTC(2026, 2, 1, 2)));
	const { ballotId } = await newClosedBallot(database, world);
	await publishPreliminaryRecord(database, world.juwei.actor, { ballotId });
	await database.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
	const ok = verify(database.path);
	expect(ok.code).toBe(0);
	expect(ok.out).toContain('公示记录校验通过');
	const edit = sql`UPDATE outcome_records SET document = replace(document, '"persons":5', '"persons":4')`;
	await tamper(database, ['outcome_records'], () => database.write((tx) => tx.run(edit)));
	await database.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
	const bad = verify(database.path);
	expect(bad.code).toBe(1);
	expect(bad.out).toContain('校验码不符');
});
