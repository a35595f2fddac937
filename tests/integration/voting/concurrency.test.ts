import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { castVotes, countedVotes } from '../../../src/lib/server/db/schema/index.ts';
import { DomainError } from '../../../src/lib/server/errors.ts';
import { castElectronicBallot, closeBallot, getResult } from '../../../src/lib/server/voting/index.ts';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, freshDatabaseForEachTest, newCompound, newOpenBallot, newOwner, newStaff } from './factories.ts';
import type { FakeTime, TestOwner } from './factories.ts';

const VOTERS = 200;

let database: TestDatabase;
let time: FakeTime;

freshDatabaseForEachTest((bed) => ({ database, time } = bed));

/** Every voter submits twice at once, all 400 submissions in flight together. */
async function stampede(ballotId: string, owners: TestOwner[]) {
	const calls = owners.flatMap((o) => [
		castElectronicBallot(database, o.actor, { ballotId, choices: ALL_YES }),
		castElectronicBallot(database, o.actor, { ballotId, choices: CHOICES_1 })
	]);
	return Promise.allSettled(calls);
}

/** A "5xx": anything but a domain error with a Chinese message. SQLITE_BUSY would land here. */
function unexpectedFailures(settled: PromiseSettledResult<unknown>[]) {
	return settled
		.filter((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof DomainError))
		.map((s) => String(s.reason));
}

async function setup(allowChange: boolean) {
	const compound = await newCompound(database, { units: VOTERS, buildings: 8 });
	const committee = await newStaff(database, 'owners_committee', compound.compoundId);
	const owners: TestOwner[] = [];
	for (let i = 0; i < VOTERS; i++) owners.push(await newOwner(database, compound));
	const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound], { allowChange, ruleKind: 'ordinary' });
	return { compound, committee, owners, ballotId, closesAt };
}

describe(`${VOTERS} concurrent voters each submitting twice`, () => {
	it('without changes allowed: exactly one counted ballot each, the other refused in Chinese, no 5xx', async () => {
		const { owners, ballotId, closesAt, committee } = await setup(false);
		const settled = await stampede(ballotId, owners);

		expect(unexpectedFailures(settled)).toEqual([]);
		const fulfilled = settled.filter((s) => s.status === 'fulfilled');
		const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
		expect(fulfilled).toHaveLength(VOTERS);
		expect(refused).toHaveLength(VOTERS);
		expect(refused.every((r) => /^\d+号楼 \d+已经投过票了.*本次表决不允许改票$/.test((r.reason as Error).message))).toBe(true);

		// One counted row per unit and motion, and the history holds only the accepted casts.
		const perUnit = await database.db
			.select({ unitId: countedVotes.unitId, n: sql<number>`count(*)` })
			.from(countedVotes)
			.where(eq(countedVotes.ballotId, ballotId))
			.groupBy(countedVotes.unitId);
		expect(perUnit).toHaveLength(VOTERS);
		expect(perUnit.every((u) => u.n === 3)).toBe(true);
		expect(await database.db.select({ n: sql<number>`count(*)` }).from(castVotes)).toEqual([{ n: VOTERS * 3 }]);

		time.set(closesAt);
		await closeBallot(database, committee.actor, { ballotId });
		const { result, disagreements } = await getResult(database, { ballotId });
		expect(disagreements).toEqual([]);
		const a = result.motions[0].compounds[0];
		expect(a.kind === 'owners' && a.participating.persons).toBe(VOTERS);
		expect(a.kind === 'owners' && a.ballots.counted).toBe(VOTERS);
	});

	it('with changes allowed: both accepted, still exactly one counted ballot each — the later one', async () => {
		const { owners, ballotId, closesAt, committee } = await setup(true);
		const settled = await stampede(ballotId, owners);

		expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
		const counted = await database.db.select().from(countedVotes).where(eq(countedVotes.ballotId, ballotId));
		expect(counted).toHaveLength(VOTERS * 3);
		expect(new Set(counted.map((c) => `${c.unitId}/${c.motionId}`)).size).toBe(VOTERS * 3);
		expect(await database.db.select({ n: sql<number>`count(*)` }).from(castVotes)).toEqual([{ n: VOTERS * 6 }]);
		// The counted row of each unit is the unit's latest cast (greatest seq), as the tally engine picks.
		const latest = await database.db
			.select({ unitId: castVotes.unitId, motionId: castVotes.motionId, seq: sql<number>`max(${castVotes.seq})` })
			.from(castVotes)
			.groupBy(castVotes.unitId, castVotes.motionId);
		const latestSeq = new Map(latest.map((l) => [`${l.unitId}/${l.motionId}`, l.seq]));
		expect(counted.every((c) => latestSeq.get(`${c.unitId}/${c.motionId}`) === c.seq)).toBe(true);

		time.set(closesAt);
		await closeBallot(database, committee.actor, { ballotId });
		const { result, disagreements } = await getResult(database, { ballotId });
		expect(disagreements).toEqual([]);
		const a = result.motions[0].compounds[0];
		expect(a.kind === 'owners' && [a.participating.persons, a.ballots.counted, a.ballots.superseded]).toEqual([VOTERS, VOTERS, VOTERS]);
		// Whichever of a voter's two submissions committed last counts: 同意 or 反对 on A, never both.
		expect(a.kind === 'owners' && a.yes.persons + a.no.persons).toBe(VOTERS);
	});

	it('across two processes’ write queues on one file: the key, not the queue, keeps one counted ballot', async () => {
		const { owners, ballotId } = await setup(false);
		const second = openDatabase(`file:${database.path}`);
		try {
			const settled = await Promise.allSettled(
				owners.flatMap((o) => [
					castElectronicBallot(database, o.actor, { ballotId, choices: ALL_YES }),
					castElectronicBallot(second, o.actor, { ballotId, choices: CHOICES_1 })
				])
			);
			expect(unexpectedFailures(settled)).toEqual([]);
			expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(VOTERS);
			const counted = await database.db.select().from(countedVotes).where(eq(countedVotes.ballotId, ballotId));
			expect(counted).toHaveLength(VOTERS * 3);
			expect(new Set(counted.map((c) => `${c.unitId}/${c.motionId}`)).size).toBe(VOTERS * 3);
		} finally {
			second.close();
		}
	});
});
