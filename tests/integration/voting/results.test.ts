import { beforeEach, describe, expect, it } from 'vitest';
import { parseExport, verifyExport } from '../../../src/lib/domain/voting/index.ts';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	castElectronicBallot,
	closeBallot,
	enterPaperBallot,
	exportBallot,
	getResult,
	getTurnout,
	loadBallot
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, DAY, freshDatabaseForEachTest, newCompound, newOpenBallot, newOwner, newStaff } from './factories.ts';
import { newTenant } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;

freshDatabaseForEachTest((bed) => ({ database, time } = bed));

const equalUnits = (n: number) => Array.from({ length: n }, () => ({ areaHundredths: 10_000 }));

describe('getTurnout', () => {
	let compound: TestCompound;
	let committee: TestStaff;
	beforeEach(async () => {
		compound = await newCompound(database, { units: equalUnits(3) });
		committee = await newStaff(database, 'owners_committee', compound.compoundId);
	});

	it('shows participation against 2/3 area and 2/3 persons and the time left, hiding yes/no while secret', async () => {
		const owners = [await newOwner(database, compound), await newOwner(database, compound)];
		const tenant = await newTenant(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound], { ruleKind: 'ordinary' });
		await castElectronicBallot(database, owners[0].actor, { ballotId, choices: ALL_YES });
		time.set(closesAt - 2 * DAY - 3 * 3600_000);

		const turnout = await getTurnout(database, tenant.actor, { ballotId });
		expect(turnout).toMatchObject({ phase: 'voting', timeLeft: '还剩 2 天 3 小时', countsVisible: false });
		const c = turnout.motions[0].compounds[0];
		expect([c.total, c.participating, c.counts]).toEqual([
			{ areaHundredths: 30_000, persons: 3 },
			{ areaHundredths: 10_000, persons: 1 },
			null
		]);
		expect(c.thresholds.map((t) => [t.id, t.met])).toEqual([
			['participation_area', false],
			['participation_persons', false]
		]);
		expect(JSON.stringify(turnout)).not.toMatch(/"yes"|"no"/);

		await castElectronicBallot(database, owners[1].actor, { ballotId, choices: CHOICES_1 });
		const reached = (await getTurnout(database, committee.actor, { ballotId })).motions[0].compounds[0];
		expect(reached.thresholds.every((t) => t.met)).toBe(true);
		expect(reached.counts).toBeNull();
	});

	it('shows running counts when the ballot is configured open', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], { countsVisibility: 'open' });
		await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		const turnout = await getTurnout(database, owner.actor, { ballotId });
		expect(turnout.countsVisible).toBe(true);
		expect(turnout.motions[0].compounds[0].counts?.no).toEqual({ areaHundredths: 10_000, persons: 1 });
	});

	it('is refused to someone of no participating compound', async () => {
		const outsider = await newOwner(database, await newCompound(database, { units: 1 }));
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(getTurnout(database, outsider.actor, { ballotId })).rejects.toThrow(AccessDenied);
	});
});

describe('close and export', () => {
	it('freezes the tally and all its inputs into one JSON document that recounts to the same result', async () => {
		const compound = await newCompound(database, {
			units: [
				{ owner: '张三', areaSource: 'surveyed' },
				{ owner: '张三' },
				{ owner: '李四', areaSource: 'contract' },
				{ status: 'developer_unsold' }
			]
		});
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const second = await newStaff(database, 'owners_committee', compound.compoundId);
		const zhang = await newOwner(database, compound, { units: 2 });
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound], { ruleKind: 'ordinary' });
		await castElectronicBallot(database, zhang.actor, { ballotId, choices: ALL_YES });
		await enterPaperBallot(database, committee.actor, { ballotId, unitId: compound.units[2].unitId, choices: CHOICES_1 });
		await enterPaperBallot(database, second.actor, { ballotId, unitId: compound.units[2].unitId, choices: CHOICES_1 });
		time.set(closesAt);
		await closeBallot(database, committee.actor, { ballotId });

		const { json, doc } = await exportBallot(database, committee.actor, { ballotId });
		expect(parseExport(json).ok).toBe(true);
		expect(verifyExport(doc)).toEqual([]);
		expect(doc.meta).toMatchObject({
			ballotId,
			ruleKind: 'ordinary',
			compounds: [{ compoundId: compound.compoundId, name: compound.name }]
		});
		expect(doc.options).toEqual({ bothChannelsRule: 'electronic_prevails', nonVoterRule: { [compound.compoundId]: 'off' } });
		const rosterById = new Map(doc.rosters[0].units.map((u) => [u.unitId, u]));
		const roster = compound.units.map((u) => rosterById.get(u.unitId)!);
		expect(roster.map((u) => [u.areaHundredths, u.areaSource, u.status])).toEqual([
			[compound.units[0].areaHundredths, 'surveyed', 'owned'],
			[compound.units[1].areaHundredths, 'registered', 'owned'],
			[compound.units[2].areaHundredths, 'contract', 'owned'],
			[compound.units[3].areaHundredths, 'registered', 'developer_unsold']
		]);
		// Pseudonymised owner keys still group 张三's two units into one person…
		expect(roster[0].ownerKey).toBe(roster[1].ownerKey);
		expect(new Set(roster.map((u) => u.ownerKey)).size).toBe(3);
		// …but nothing in the document names anyone, and the salt stays in the database.
		const { salt } = await loadBallot(database.db, ballotId);
		for (const secret of ['张三', '李四', zhang.userId, salt, 'owners:']) expect(json).not.toContain(secret);
		expect(doc.ballots.map((b) => [b.channel, b.viaProxy]).sort()).toEqual(
			[...Array(6).fill(['electronic', false]), ...Array(3).fill(['paper', false])].sort()
		);
		expect(doc.ballots.every((b) => /^[0-9a-f]{32}$/.test(b.voterKey) && !Number.isNaN(Date.parse(b.castAt)))).toBe(true);
		const a = doc.result.motions[0].compounds[0];
		// 张三 (2 units) + 李四 voted: 2 of 3 persons (developer counts as one).
		expect(a.kind === 'owners' && [a.total.persons, a.participating.persons, a.yes.persons, a.no.persons]).toEqual([3, 2, 1, 1]);

		// Later reads come from the frozen document, not from the live tables.
		expect((await getResult(database, { ballotId })).result).toEqual(doc.result);
		await expect(exportBallot(database, zhang.actor, { ballotId })).rejects.toThrow(AccessDenied);
	});

	it('a joint decision passes only if every participating compound passes under its own rule', async () => {
		const aijian = await newCompound(database, { name: '爱建小区', units: equalUnits(3) });
		const hongqiao = await newCompound(database, { name: '虹桥小区', units: equalUnits(4) });
		const admin = await newStaff(database, 'admin', null);
		const aijianCommittee = await newStaff(database, 'owners_committee', aijian.compoundId);
		const aOwners = [await newOwner(database, aijian), await newOwner(database, aijian), await newOwner(database, aijian)];
		const hOwners = [await newOwner(database, hongqiao), await newOwner(database, hongqiao), await newOwner(database, hongqiao)];
		const { ballotId, closesAt } = await newOpenBallot(database, time, admin.actor, [aijian, hongqiao], {
			ruleKind: 'major',
			motions: [{ id: 'B', title: '方案B 分时开放' }],
			nonVoterRule: { [hongqiao.compoundId]: 'follow_majority' }
		});
		for (const o of aOwners) await castElectronicBallot(database, o.actor, { ballotId, choices: { B: 'yes' } });
		await castElectronicBallot(database, hOwners[0].actor, { ballotId, choices: { B: 'yes' } });
		await castElectronicBallot(database, hOwners[1].actor, { ballotId, choices: { B: 'no' } });
		await castElectronicBallot(database, hOwners[2].actor, { ballotId, choices: { B: 'no' } });
		time.set(closesAt);
		// One participating compound's 业委会 may close the whole ballot after the deadline.
		await closeBallot(database, aijianCommittee.actor, { ballotId });

		const { result, rules } = await getResult(database, { ballotId });
		const [a, h] = result.motions[0].compounds;
		expect([a.passed, h.passed]).toEqual([true, false]);
		// 虹桥 (follow_majority, shown on the record): quorum met 3 of 4, the non-voter joins the 2:1 no side.
		expect(h.kind === 'owners' && [h.nonVoterRuleApplied, h.nonVoterAddedTo, h.outcome]).toEqual([true, 'no', 'not_passed']);
		expect(result.motions[0].joint).toMatchObject({
			rule: 'concurrent_majority',
			passed: false,
			failingCompoundIds: [hongqiao.compoundId]
		});
		expect(rules.nonVoter.map((r) => r.label)).toEqual([
			'未参与表决的业主不计入多数',
			'未参与表决的业主计入已表决的多数（指导规则第二十六条）'
		]);
	});
});
