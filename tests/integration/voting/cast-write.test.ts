/**
 * The cast's write as one batch of kept statements (voting/repository.ts `runInWrite`): a refusal names the statement
 * that failed, only the counted rows' key is "already voted", and a failed cast leaves no row behind.
 */
import { describe, expect, it } from 'vitest';
import { RuleBroken } from '../../../src/lib/server/errors.ts';
import { castElectronicBallot } from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, countedRows, freshCompoundForEachTest, newOpenBallot, newOwner } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: 6 }, (bed) => ({ database, time, compound, committee } = bed));

/** Rows of the ballot that a cast writes (its counted rows aside: countedRows). */
const ROWS = {
	electronic_submissions: 'SELECT count(*) AS n FROM electronic_submissions WHERE ballot_id = ?',
	cast_votes: 'SELECT count(*) AS n FROM cast_votes WHERE ballot_id = ?',
	audit_log: "SELECT count(*) AS n FROM audit_log WHERE subject_id = ? AND action = 'ballot.cast'"
};
const TABLES = Object.keys(ROWS) as (keyof typeof ROWS)[];

async function rowsOf(table: keyof typeof ROWS, ballotId: string): Promise<number> {
	const { rows } = await database.client.execute({ sql: ROWS[table], args: [ballotId] });
	return Number(rows[0].n);
}

describe('the cast write', () => {
	it('a second cast where changes are not allowed is "already voted" (the counted rows\' key), and adds no row', async () => {
		const owner = await newOwner(database, compound, { units: 2 });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		const before = await Promise.all(TABLES.map((t) => rowsOf(t, ballotId)));

		const refused = await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(RuleBroken);
		expect((refused as RuleBroken).code).toBe('already_voted');
		expect(await Promise.all(TABLES.map((t) => rowsOf(t, ballotId)))).toEqual(before);
		expect((await countedRows(database, ballotId)).every((r) => r.choice === 'yes')).toBe(true);
	});

	it('a unique violation of the submission (a receipt drawn twice) is not reported as "already voted", and leaves nothing', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		// What SQLite says when a receipt code is drawn a second time, for every submission of this ballot.
		await database.client.execute(`CREATE TRIGGER test_receipt_taken BEFORE INSERT ON electronic_submissions
			WHEN NEW.ballot_id = '${ballotId}' BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: electronic_submissions.receipt'); END`);
		try {
			const failed = await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES }).catch((e: unknown) => e);
			expect(failed).toBeInstanceOf(Error);
			expect(failed).not.toBeInstanceOf(RuleBroken);
			expect(String((failed as Error).message)).toMatch(/electronic_submissions\.receipt/);
			expect((failed as { statementIndex?: number }).statementIndex).toBe(0);
		} finally {
			await database.client.execute('DROP TRIGGER test_receipt_taken');
		}
		for (const table of TABLES) expect(await rowsOf(table, ballotId)).toBe(0);
		expect(await countedRows(database, ballotId)).toEqual([]);
		// The next cast goes through.
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		expect(await rowsOf('electronic_submissions', ballotId)).toBe(1);
		expect(await rowsOf('audit_log', ballotId)).toBe(1);
	});
});
