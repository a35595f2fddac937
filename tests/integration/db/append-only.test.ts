/**
 * Append-only, enforced by the database (migration 0016): what can be disputed is never rewritten or
 * removed, whatever statement reaches the file. Each table is filled through the real services (a
 * joint ballot voted, closed, published, objected to and answered,
 * followed through, rated and closed), then every UPDATE and DELETE is tried on the raw client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	answerObjection,
	closeItem,
	createTask,
	fileObjection,
	finaliseRecord,
	publishPreliminaryRecord,
	rateOutcome,
	updateTask
} from '../../../src/lib/server/records/index.ts';
import { enterPaperBallot, recordProxy, revokeProxy, withdrawPaperEntry } from '../../../src/lib/server/voting/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { newRecordsWorld, newStaff, fakeTime, type World } from '../records/factories.ts';
import { CHOICES_1, newCompound, newOpenBallot, newUser } from '../voting/factories.ts';

/** Each test's own database file and records world (two compounds under two 居委, their 业委会, owners). */
let { database, world } = {} as { database: TestDatabase; world: World };
beforeEach(async () => {
	database = await createTestDatabase();
	world = await newRecordsWorld(database, fakeTime(Date.UTC(2026, 2, 1, 2)));
});
afterEach(() => database.destroy());

async function run(sql: string, args: (string | number | null)[] = []) {
	return database.client.execute({ sql, args });
}

async function count(table: string): Promise<number> {
	const { rows } = await run(`SELECT count(*) AS n FROM ${table}`);
	return Number((rows[0] as unknown as { n: number }).n);
}

/** A closed, published, disputed, followed-through and rated joint ballot: every history table holds rows. */
async function fullHistory() {
	const { newClosedBallot } = await import('../records/factories.ts');
	const { ballotId } = await newClosedBallot(database, world);
	const { recordId } = await publishPreliminaryRecord(database, world.juwei.actor, { ballotId });
	const owner = world.owners[0];
	const { objectionId } = await fileObjection(database, owner.actor, { recordId, text: '我家的票数好像没算进去，请核对' });
	await answerObjection(database, world.juwei.actor, { objectionId, text: '已核对，您家的票已计入' });
	const { rows } = await run('SELECT item_id, dispute_ends_at FROM outcome_records WHERE id = ?', [recordId]);
	const [{ item_id: itemId, dispute_ends_at: disputeEndsAt }] = rows as unknown as { item_id: string; dispute_ends_at: number }[];
	world.time.set(disputeEndsAt);
	await finaliseRecord(database, world.juwei.actor, { recordId });
	const { taskId } = await createTask(database, world.juwei.actor, {
		itemId,
		title: '拆除侧门',
		organisation: '物业公司',
		dueDate: '2026-06-30'
	});
	world.time.advance(3600_000);
	await updateTask(database, world.juwei.actor, { taskId, status: 'done', note: '已完成' });
	await rateOutcome(database, owner.actor, { itemId, rating: 'satisfied' });
	await closeItem(database, world.juwei.actor, { itemId, note: '已销项' });
	return { ballotId, recordId };
}

const HISTORY = [
	'cast_votes',
	'electronic_submissions',
	'electorate_units',
	'audit_log',
	'outcome_records',
	'count_signatures',
	'record_objections',
	'record_objection_answers',
	'outcome_ratings',
	'followup_tasks',
	'followup_updates',
	'item_closures',
	'ballot_motions',
	'ballots',
	'ballot_compounds',
	'electorate_voters'
];

describe('history tables refuse UPDATE and DELETE', () => {
	it('every row written by a real ballot and record stays as written', async () => {
		await fullHistory();
		for (const table of HISTORY) {
			expect(await count(table), table).toBeGreaterThan(0);
			const before = await count(table);
			await expect(run(`DELETE FROM ${table}`), table).rejects.toThrow(/append-only|never/);
			expect(await count(table), table).toBe(before);
		}
		// Fully append-only tables refuse even an update that changes nothing.
		for (const table of HISTORY.slice(0, 13)) {
			await expect(run(`UPDATE ${table} SET rowid = rowid`), table).rejects.toThrow(`${table}: append-only, a row is never changed`);
		}
		await expect(run("UPDATE cast_votes SET choice = 'no' WHERE choice = 'yes'")).rejects.toThrow(/append-only/);
		await expect(run('UPDATE audit_log SET actor_id = NULL')).rejects.toThrow(/append-only/);
	});

	it('a closed ballot keeps its rule, its window, its close stamp and its frozen export', async () => {
		const { ballotId } = await fullHistory();
		const changes = ["rule_kind = 'ordinary'", 'closes_at = closes_at + 1', "export_json = '{}'", 'closed_at = closed_at + 1'];
		changes.push('opened_at = NULL', "title = 'x'");
		for (const change of changes) {
			await expect(run(`UPDATE ballots SET ${change} WHERE id = ?`, [ballotId]), change).rejects.toThrow(
				/ballots: what decides the count/
			);
		}
		const unfreeze = run('UPDATE ballot_compounds SET roster_version_id = NULL WHERE ballot_id = ?', [ballotId]);
		await expect(unfreeze).rejects.toThrow(/stamped, once/);
		const otherVoter = run("UPDATE electorate_voters SET user_id = 'someone-else' WHERE ballot_id = ?", [ballotId]);
		await expect(otherVoter).rejects.toThrow(/never rewritten/);
	});

	it('a counted ballot only moves forward to a newer cast row', async () => {
		const { ballotId } = await fullHistory();
		const backwards = run('UPDATE counted_votes SET seq = seq - 1 WHERE ballot_id = ?', [ballotId]);
		await expect(backwards).rejects.toThrow(/only moves on to a newer cast row/);
		await expect(run("UPDATE counted_votes SET unit_id = 'other' WHERE ballot_id = ?", [ballotId])).rejects.toThrow(/only moves on/);
	});
});

describe('stamps are set once', () => {
	it('paper entries: confirmed or withdrawn once, choices never retyped, never deleted', async () => {
		const compound = await newCompound(database, { units: 3 });
		const a = await newStaff(database, 'owners_committee', compound.compoundId, '业委会甲');
		const b = await newStaff(database, 'owners_committee', compound.compoundId, '业委会乙');
		const { ballotId } = await newOpenBallot(database, world.time, a.actor, [compound]);
		const unitId = compound.units[0].unitId;
		await enterPaperBallot(database, a.actor, { ballotId, unitId, choices: CHOICES_1 });
		await enterPaperBallot(database, b.actor, { ballotId, unitId, choices: CHOICES_1 });
		const typo = await enterPaperBallot(database, a.actor, { ballotId, unitId: compound.units[1].unitId, choices: CHOICES_1 });
		await withdrawPaperEntry(database, a.actor, { entryId: typo.entryId });

		const retyped = run("UPDATE paper_entries SET choices = '{}' WHERE ballot_id = ?", [ballotId]);
		await expect(retyped).rejects.toThrow(/paper_entries: append-only/);
		await expect(run('UPDATE paper_entries SET confirmed_at = confirmed_at + 1 WHERE confirmed_at IS NOT NULL')).rejects.toThrow(
			/stamped/
		);
		await expect(run('UPDATE paper_entries SET withdrawn_at = NULL WHERE id = ?', [typo.entryId])).rejects.toThrow(/stamped/);
		await expect(run('DELETE FROM paper_entries WHERE id = ?', [typo.entryId])).rejects.toThrow(/never deleted/);
		expect(await count('paper_entries')).toBe(3);
	});

	it('a 委托书 is only ever revoked, once', async () => {
		const compound = await newCompound(database, { units: 2 });
		const member = await newStaff(database, 'owners_committee', compound.compoundId);
		const proxyUserId = await newUser(database, '受托人');
		const { ballotId } = await newOpenBallot(database, world.time, member.actor, [compound]);
		const { proxyId } = await recordProxy(database, member.actor, {
			ballotId,
			unitIds: [compound.units[0].unitId],
			principalName: '王阿姨',
			proxyUserId,
			instructions: { A: 'yes' }
		});
		await expect(run('UPDATE proxies SET instructions = \'{"A":"no"}\' WHERE id = ?', [proxyId])).rejects.toThrow(
			/proxies: append-only/
		);
		await revokeProxy(database, member.actor, { proxyId });
		await expect(run('UPDATE proxies SET revoked_at = NULL WHERE id = ?', [proxyId])).rejects.toThrow(/revoked, once/);
		await expect(run('DELETE FROM proxies WHERE id = ?', [proxyId])).rejects.toThrow(/never deleted/);
	});
});
