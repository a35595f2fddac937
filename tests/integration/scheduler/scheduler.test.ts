import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import { auditLog, ballots, notifications } from '../../../src/lib/server/db/schema/index.ts';
import { runDueWork } from '../../../src/lib/server/scheduler/scheduler.ts';
import { unvotedByBuilding } from '../../../src/lib/server/scheduler/reminders.ts';
import { castElectronicBallot, enterPaperBallot, getResult, loadBallot } from '../../../src/lib/server/voting/index.ts';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, DAY, freshCompoundForEachTest, newNoticedBallot, newOpenBallot, newOwner, newStaff } from '../voting/factories.ts';
import type { FakeTime, TestCompound, TestStaff } from '../voting/factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: 6 }, (bed) => ({ database, time, compound, committee } = bed));

const closes = (ballotId: string) =>
	database.db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.action, 'ballot.close'), eq(auditLog.subjectId, ballotId)));

describe('the scheduler opens and closes ballots by the clock', () => {
	it('opens a noticed ballot at its opening time, once, with nobody pressing a button', async () => {
		const { ballotId, opensAt } = await newNoticedBallot(database, time, committee.actor, [compound]);
		time.set(opensAt - 1);
		expect((await runDueWork(database)).opened).toEqual([]);
		time.set(opensAt);
		expect((await runDueWork(database)).opened).toEqual([ballotId]);
		expect(await runDueWork(database)).toMatchObject({ opened: [], closed: [] });
		const ballot = await loadBallot(database.db, ballotId);
		expect([ballot.openedAt, ballot.openedBy]).toEqual([opensAt, null]);
	});

	it('closes at the deadline; after a downtime it closes at the next pass with the true close time', async () => {
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		const owner = await newOwner(database, compound);
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		time.set(closesAt - 1);
		expect((await runDueWork(database)).closed).toEqual([]);
		// The server was down from before the deadline until three days after it.
		time.set(closesAt + 3 * DAY);
		expect((await runDueWork(database)).closed).toEqual([{ ballotId, closedAt: closesAt }]);
		expect((await runDueWork(database)).closed).toEqual([]);
		const ballot = await loadBallot(database.db, ballotId);
		expect([ballot.closedAt, ballot.closedBy, ballot.closeDelayReason]).toEqual([closesAt, null, null]);
		expect((await getResult(database, { ballotId })).closedAt).toBe(closesAt);
		const [row] = await database.db.select({ exportJson: ballots.exportJson }).from(ballots).where(eq(ballots.id, ballotId));
		expect(JSON.parse(row.exportJson!).exportedAt).toBe(new Date(closesAt).toISOString());
		expect(await closes(ballotId)).toHaveLength(1);
	});

	it('waits while a paper ballot awaits its second entry, tells the 业委会 once, and records why the close was late', async () => {
		const memberB = await newStaff(database, 'owners_committee', compound.compoundId);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		const unitId = compound.unclaimed[0].unitId;
		await enterPaperBallot(database, committee.actor, { ballotId, unitId, choices: ALL_YES });
		time.set(closesAt + 60_000);
		expect(await runDueWork(database)).toMatchObject({ closed: [], waiting: [ballotId] });
		expect(await runDueWork(database)).toMatchObject({ closed: [], waiting: [ballotId] });
		const told = await database.db.select().from(notifications).where(eq(notifications.kind, 'ballot.close_waits'));
		expect(told.map((n) => n.userId).sort()).toEqual([committee.userId, memberB.userId].sort());
		expect(told[0].body).toContain('1 张纸质票等待第二次录入');

		time.set(closesAt + DAY);
		await enterPaperBallot(database, memberB.actor, { ballotId, unitId, choices: ALL_YES });
		time.set(closesAt + DAY + 30_000);
		expect((await runDueWork(database)).closed).toEqual([{ ballotId, closedAt: closesAt + DAY + 30_000 }]);
		const ballot = await loadBallot(database.db, ballotId);
		expect(ballot.closeDelayReason).toMatch(
			/截止时仍有纸质票等待第二次录入或核对（截止后 1 户的纸质票完成核对），全部完成后于.*自动结束计票/
		);
		const [row] = await database.db.select({ exportJson: ballots.exportJson }).from(ballots).where(eq(ballots.id, ballotId));
		expect(JSON.parse(row.exportJson!).ballots.filter((b: { channel: string }) => b.channel === 'paper')).toHaveLength(3);
	});

	it('two processes on one database file: the ballot closes once', async () => {
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		time.set(closesAt + DAY);
		const other = openDatabase(`file:${database.path}`);
		try {
			const [a, b] = await Promise.all([runDueWork(database), runDueWork(other)]);
			expect([...a.closed, ...b.closed]).toEqual([{ ballotId, closedAt: closesAt }]);
			expect([...a.problems, ...b.problems]).toEqual([]);
		} finally {
			other.close();
		}
		expect(await closes(ballotId)).toHaveLength(1);
		const [row] = await database.db.select({ closedAt: ballots.closedAt }).from(ballots).where(eq(ballots.id, ballotId));
		expect(row.closedAt).toBe(closesAt);
	});
});

describe('reminders and the 扫楼 list', () => {
	it('reminds owners who have not voted 3 days and 1 day before the close, once each', async () => {
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		const voter = await newOwner(database, compound);
		const idle = await newOwner(database, compound, { units: 2 });
		await castElectronicBallot(database, voter.actor, { ballotId, choices: ALL_YES });
		const reminders = () => database.db.select().from(notifications).where(eq(notifications.kind, 'ballot.reminder'));

		time.set(closesAt - 3 * DAY - 1);
		await runDueWork(database);
		expect(await reminders()).toHaveLength(0);
		time.set(closesAt - 3 * DAY);
		await runDueWork(database);
		await runDueWork(database);
		expect((await reminders()).map((r) => [r.userId, r.title])).toEqual([
			[idle.userId, '“侧门改造方案表决”还有 3 天截止，您还没有投票']
		]);
		time.set(closesAt - DAY + 1);
		await runDueWork(database);
		expect((await reminders()).map((r) => r.userId)).toEqual([idle.userId, idle.userId]);
		expect((await reminders()).map((r) => r.title)).toContain('“侧门改造方案表决”还有 1 天截止，您还没有投票');
	});

	it('lists per building the rooms that have not voted, without choices, for those who watch the count', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const voter = await newOwner(database, compound);
		await castElectronicBallot(database, voter.actor, { ballotId, choices: ALL_YES });
		const list = await unvotedByBuilding(database, committee.actor, ballotId);
		const rooms = list.buildings.flatMap((b) => b.rooms.map((r) => `${b.buildingName} ${r}`));
		expect(rooms).toHaveLength(5);
		expect(rooms).not.toContain(`${voter.units[0].building} ${voter.units[0].room}`);
		expect(JSON.stringify(list)).not.toMatch(/yes|no|abstain|同意|反对/);
		expect(list.mode).toBe('all');
		await expect(unvotedByBuilding(database, voter.actor, ballotId)).rejects.toThrow(AccessDenied);
	});

	it('lists a large compound one building at a time: first the buildings with their counts, then the rooms of one', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const voter = await newOwner(database, compound);
		await castElectronicBallot(database, voter.actor, { ballotId, choices: ALL_YES });
		const all = await unvotedByBuilding(database, committee.actor, ballotId);
		// Above the limit (here 4 rooms, 20,000 at real size would be one page of 20,000 rooms): only the buildings.
		const pick = await unvotedByBuilding(database, committee.actor, ballotId, null, 4);
		expect(pick.mode).toBe('pick');
		expect(pick.buildings.map((b) => [b.key, b.count, b.rooms])).toEqual(all.buildings.map((b) => [b.key, b.rooms.length, []]));
		const [first] = all.buildings;
		const one = await unvotedByBuilding(database, committee.actor, ballotId, first.key, 4);
		expect(one.mode).toBe('one');
		expect(one.buildings).toEqual([first]);
		expect((await unvotedByBuilding(database, committee.actor, ballotId, 'nowhere|9号楼')).buildings).toEqual([]);
	});
});
