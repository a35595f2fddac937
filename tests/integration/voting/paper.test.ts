import { describe, expect, it } from 'vitest';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	castElectronicBallot,
	closeBallot,
	enterPaperBallot,
	getResult,
	listPaperMismatches,
	progressByBuilding,
	withdrawPaperEntry
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, countedRows, freshCompoundForEachTest, newCompound, newNoticedBallot, newOpenBallot } from './factories.ts';
import { newOwner, newStaff } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let memberA: TestStaff;
let memberB: TestStaff;

freshCompoundForEachTest({ units: 6, buildings: 2, committee: '业委会甲' }, async (bed) => {
	({ database, time, compound, committee: memberA } = bed);
	memberB = await newStaff(database, 'owners_committee', compound.compoundId, '业委会乙');
});

describe('enterPaperBallot', () => {
	it('counts a paper ballot only after a second member’s matching entry', async () => {
		const { ballotId } = await newOpenBallot(database, time, memberA.actor, [compound]);
		const unitId = compound.units[0].unitId;
		const first = await enterPaperBallot(database, memberA.actor, { ballotId, unitId, choices: CHOICES_1 });
		expect(first).toMatchObject({ status: 'awaiting_second', message: '已录入，需另一位业委会成员复核录入一致后才计入' });
		expect(await countedRows(database, ballotId)).toHaveLength(0);
		const second = await enterPaperBallot(database, memberB.actor, { ballotId, unitId, choices: CHOICES_1 });
		expect(second.status).toBe('confirmed');
		const counted = await countedRows(database, ballotId);
		expect(counted.map((c) => [c.motionId, c.channel, c.choice])).toEqual([
			['A', 'paper', 'no'],
			['B', 'paper', 'yes'],
			['C', 'paper', 'abstain']
		]);
	});

	it('refuses a second entry of the same ballot by the same member, counting nothing', async () => {
		const { ballotId } = await newOpenBallot(database, time, memberA.actor, [compound]);
		const unitId = compound.units[0].unitId;
		await enterPaperBallot(database, memberA.actor, { ballotId, unitId, choices: CHOICES_1 });
		await expect(enterPaperBallot(database, memberA.actor, { ballotId, unitId, choices: CHOICES_1 })).rejects.toThrow(
			'这张纸质票您已经录入过了，须由另一位业委会成员复核录入后才能计入'
		);
		expect(await countedRows(database, ballotId)).toHaveLength(0);
	});

	it('lists mismatching entries for reconciliation; a withdrawn typo and a fresh entry resolve it', async () => {
		const { ballotId } = await newOpenBallot(database, time, memberA.actor, [compound]);
		const unit = compound.units[2];
		const typo = await enterPaperBallot(database, memberA.actor, { ballotId, unitId: unit.unitId, choices: ALL_YES });
		const other = await enterPaperBallot(database, memberB.actor, { ballotId, unitId: unit.unitId, choices: CHOICES_1 });
		expect(other.status).toBe('mismatch');
		expect(await countedRows(database, ballotId)).toHaveLength(0);
		const mismatches = await listPaperMismatches(database, memberA.actor, { ballotId });
		expect(mismatches).toHaveLength(1);
		expect(mismatches[0]).toMatchObject({ unitId: unit.unitId, label: `${unit.building} ${unit.room}` });
		expect(mismatches[0].entries.map((e) => e.enteredByName)).toEqual(['业委会甲', '业委会乙']);

		await expect(withdrawPaperEntry(database, memberB.actor, { entryId: typo.entryId })).rejects.toThrow('只能撤回自己录入的纸质票');
		await withdrawPaperEntry(database, memberA.actor, { entryId: typo.entryId });
		const again = await enterPaperBallot(database, memberA.actor, { ballotId, unitId: unit.unitId, choices: CHOICES_1 });
		expect(again.status).toBe('confirmed');
		expect(await listPaperMismatches(database, memberA.actor, { ballotId })).toEqual([]);
		expect(await countedRows(database, ballotId)).toHaveLength(3);
	});

	it('refuses a forged unit id, a unit outside the ballot’s compounds, and a non-member of the 业委会', async () => {
		const other = await newCompound(database, { units: 2 });
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, memberA.actor, [compound]);
		await expect(enterPaperBallot(database, memberA.actor, { ballotId, unitId: 'forged', choices: ALL_YES })).rejects.toThrow(
			'没有找到这户房屋，请核对楼栋和房号'
		);
		await expect(
			enterPaperBallot(database, memberA.actor, { ballotId, unitId: other.units[0].unitId, choices: ALL_YES })
		).rejects.toThrow('这户房屋不在本次表决的参与小区内');
		await expect(
			enterPaperBallot(database, owner.actor, { ballotId, unitId: owner.units[0].unitId, choices: ALL_YES })
		).rejects.toThrow(new AccessDenied('只有本小区业委会成员可以录入纸质票'));
		expect(await countedRows(database, ballotId)).toHaveLength(0);
	});

	it('refuses entries before voting opens and after the count is closed', async () => {
		const { ballotId, opensAt, closesAt } = await newNoticedBallot(database, time, memberA.actor, [compound]);
		await expect(
			enterPaperBallot(database, memberA.actor, { ballotId, unitId: compound.units[0].unitId, choices: ALL_YES })
		).rejects.toThrow(/表决尚未开始/);
		time.set(opensAt);
		const { openBallot } = await import('../../../src/lib/server/voting/index.ts');
		await openBallot(database, memberA.actor, { ballotId });
		time.set(closesAt);
		// After the deadline but before the close, ballots signed in time may still be entered.
		await enterPaperBallot(database, memberA.actor, { ballotId, unitId: compound.units[0].unitId, choices: ALL_YES });
		await closeBallot(database, memberA.actor, { ballotId });
		await expect(
			enterPaperBallot(database, memberB.actor, { ballotId, unitId: compound.units[0].unitId, choices: ALL_YES })
		).rejects.toThrow('计票已经结束，不能再录入纸质票');
		expect(await countedRows(database, ballotId)).toHaveLength(0);
	});
});

describe('a unit that voted both electronically and on paper', () => {
	async function voteBothWays(bothChannelsRule: 'electronic_prevails' | 'paper_prevails') {
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, memberA.actor, [compound], {
			bothChannelsRule,
			ruleKind: 'advisory'
		});
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		await enterPaperBallot(database, memberA.actor, { ballotId, unitId: owner.units[0].unitId, choices: CHOICES_1 });
		await enterPaperBallot(database, memberB.actor, { ballotId, unitId: owner.units[0].unitId, choices: CHOICES_1 });
		time.set(closesAt);
		await closeBallot(database, memberA.actor, { ballotId });
		return getResult(database, { ballotId });
	}

	it('by default the electronic ballot prevails, and the rule is shown on the result', async () => {
		const { result, rules } = await voteBothWays('electronic_prevails');
		const a = result.motions[0].compounds[0];
		expect(a.kind === 'owners' && [a.yes.persons, a.no.persons, a.ballots.counted, a.ballots.superseded]).toEqual([1, 0, 1, 1]);
		expect(rules.bothChannels).toBe('同一户既网上投票又书面投票的，以网上投票为准');
		expect(result.bothChannelsRuleLabel).toBe(rules.bothChannels);
	});

	it('the paper ballot prevails when the ballot was created so', async () => {
		const { result, rules } = await voteBothWays('paper_prevails');
		const a = result.motions[0].compounds[0];
		expect(a.kind === 'owners' && [a.yes.persons, a.no.persons]).toEqual([0, 1]);
		expect(rules.bothChannels).toBe('同一户既网上投票又书面投票的，以书面投票为准');
	});
});

describe('progressByBuilding', () => {
	it('shows per building how many units voted and by which channel, counting votes cast after an earlier load', async () => {
		const owner = await newOwner(database, compound); // 1号楼 101
		const { ballotId } = await newOpenBallot(database, time, memberA.actor, [compound]);
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		const paperUnit = compound.units.find((u) => u.building === '2号楼')!;
		await enterPaperBallot(database, memberA.actor, { ballotId, unitId: paperUnit.unitId, choices: ALL_YES });
		await enterPaperBallot(database, memberB.actor, { ballotId, unitId: paperUnit.unitId, choices: ALL_YES });
		await enterPaperBallot(database, memberA.actor, { ballotId, unitId: compound.units[5].unitId, choices: ALL_YES });

		const progress = await progressByBuilding(database, memberA.actor, { ballotId });
		expect(progress.map((b) => [b.buildingName, b.units, b.votedUnits, b.electronicUnits, b.paperUnits, b.awaitingPaperUnits])).toEqual(
			[
				['1号楼', 3, 1, 1, 0, 0],
				['2号楼', 3, 1, 0, 1, 1]
			]
		);
		// The buildings are summed once per process; the votes are counted on every load.
		const area = (unitId: string) => compound.units.find((u) => u.unitId === unitId)!.areaHundredths;
		expect(progress[1].votedAreaHundredths).toBe(area(paperUnit.unitId));
		await enterPaperBallot(database, memberB.actor, { ballotId, unitId: compound.units[5].unitId, choices: ALL_YES });
		const again = await progressByBuilding(database, memberA.actor, { ballotId });
		expect(again.map((b) => [b.buildingName, b.votedUnits, b.paperUnits, b.awaitingPaperUnits])).toEqual([
			['1号楼', 1, 0, 0],
			['2号楼', 2, 2, 0]
		]);
		expect(again[1].votedAreaHundredths).toBe(area(paperUnit.unitId) + area(compound.units[5].unitId));
		expect(again.map((b) => b.areaHundredths)).toEqual(progress.map((b) => b.areaHundredths));
		await expect(progressByBuilding(database, owner.actor, { ballotId })).rejects.toThrow(AccessDenied);
	});
});
