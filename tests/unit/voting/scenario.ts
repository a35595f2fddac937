/**
 * The 爱建 / 虹桥 side-gate vote (DOMAIN.md §2), scaled down: illustrative, invented data (演示数据).
 * A major matter (items 7/8) with three alternatives, voted in each compound under its own roster.
 * Expected: 方案B passes in 爱建 but not in 虹桥, so jointly it does not pass.
 * Used by the fixture generator and by the tests that check the committed fixtures.
 */
import type { CastBallot, Choice, CompoundRoster, OwnersVoteInput, RosterUnit } from '../../../src/lib/domain/voting/index.ts';
import type { ExportDetails } from '../../../src/lib/domain/voting/index.ts';

function areaFor(i: number, salt: number): number {
	return 4000 + ((i * 3779 + salt) % 10000); // 40.00–139.99㎡
}

function roster(prefix: string, buildings: number, salt: number, special: (i: number, unit: RosterUnit) => RosterUnit): RosterUnit[] {
	const units: RosterUnit[] = [];
	for (let b = 1; b <= buildings; b++) {
		for (let r = 1; r <= 6; r++) {
			const i = units.length;
			const room = `${Math.ceil(r / 2)}0${((r - 1) % 2) + 1}`;
			units.push(
				special(i, {
					unitId: `${prefix}-${b}-${room}`,
					building: `${b}号楼`,
					room,
					areaHundredths: areaFor(i, salt),
					areaSource: i % 11 === 0 ? 'surveyed' : i % 17 === 0 ? 'contract' : 'registered',
					status: 'owned',
					ownerKey: `${prefix}-o${i}`
				})
			);
		}
	}
	return units;
}

export const aijian: CompoundRoster = {
	compoundId: 'aijian',
	name: '爱建小区',
	nonVoterRule: 'off',
	units: roster('AJ', 8, 17, (i, unit) => {
		if (i >= 45) return { ...unit, status: 'developer_unsold', ownerKey: 'aj-developer' };
		if (i === 44) return { ...unit, status: 'sold_undelivered', ownerKey: 'aj-buyer-44' };
		if ([5, 11, 17].includes(i)) return { ...unit, ownerKey: 'aj-multi-3' }; // one buyer, three flats
		if ([20, 21].includes(i)) return { ...unit, ownerKey: 'aj-multi-2' };
		return unit;
	})
};

export const hongqiao: CompoundRoster = {
	compoundId: 'hongqiao',
	name: '虹桥小区',
	nonVoterRule: 'off',
	units: roster('HQ', 10, 523, (i, unit) => {
		if (i >= 57) return { ...unit, status: 'developer_unsold', ownerKey: 'hq-developer' };
		if ([3, 4].includes(i)) return { ...unit, ownerKey: 'hq-multi-2' };
		return unit;
	})
};

export const motions = [
	{ id: 'A', title: '方案A：侧门全天开放', textHash: 'sha256:5a0c…a1' },
	{ id: 'B', title: '方案B：6:00–22:00 开放，门禁管理，改造为共享空间', textHash: 'sha256:9be1…b2' },
	{ id: 'C', title: '方案C：保持关闭', textHash: 'sha256:c03f…c3' }
];

/** choice per motion for unit i of a compound, or null when the unit does not vote. */
type Plan = (i: number) => [Choice, Choice, Choice] | null;

const aijianPlan: Plan = (i) => {
	if (i % 8 === 7 && i < 45) return null; // five owners who did not vote
	return [i % 3 === 0 ? 'no' : 'yes', i % 10 === 9 ? 'no' : i % 13 === 6 ? 'abstain' : 'yes', i % 4 === 0 ? 'yes' : 'no'];
};

const hongqiaoPlan: Plan = (i) => {
	if (i % 5 === 2) return null;
	return [i % 3 === 0 ? 'yes' : 'no', i % 5 === 1 || i % 7 === 3 ? 'no' : 'yes', i % 2 === 0 ? 'yes' : i % 9 === 1 ? 'abstain' : 'no'];
};

function ballotsFor(compound: CompoundRoster, plan: Plan, firstSeq: number): CastBallot[] {
	const ballots: CastBallot[] = [];
	let seq = firstSeq;
	compound.units.forEach((unit, i) => {
		const choices = plan(i);
		if (!choices) return;
		const paper = i % 6 === 4;
		const day = 2 + (i % 7);
		choices.forEach((choice, m) => {
			ballots.push({
				compoundId: compound.compoundId,
				unitId: unit.unitId,
				motionId: motions[m].id,
				choice,
				channel: paper ? 'paper' : 'electronic',
				viaProxy: paper && i % 12 === 4,
				voterKey: `v-${unit.ownerKey}`,
				castAt: `2025-06-0${day}T${String(8 + (i % 12)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:00+08:00`,
				seq: seq++
			});
		});
	});
	return ballots;
}

const aijianBallots = ballotsFor(aijian, aijianPlan, 1);
const hongqiaoBallots = ballotsFor(hongqiao, hongqiaoPlan, 1001);

/** Extra ballots exercising the precedence rules; the counted choice is the one the plan gave. */
const corrections: CastBallot[] = [
	// A co-owner first voted no on B; the other co-owner's later ballot (the plan's yes) counts.
	{
		...aijianBallots.find((b) => b.unitId === 'AJ-2-101' && b.motionId === 'B')!,
		choice: 'no',
		voterKey: 'v-aj-coowner-2',
		castAt: '2025-06-01T09:00:00+08:00',
		seq: 2001
	},
	// An owner who voted electronically also handed in paper for C: electronic prevails.
	{
		...hongqiaoBallots.find((b) => b.unitId === 'HQ-1-101' && b.motionId === 'C')!,
		choice: 'no',
		channel: 'paper',
		viaProxy: true,
		castAt: '2025-06-09T10:00:00+08:00',
		seq: 2002
	}
];

export const gateVote: OwnersVoteInput = {
	ruleKind: 'major',
	motions,
	bothChannelsRule: 'electronic_prevails',
	compounds: [aijian, hongqiao],
	// Interleaved on purpose: order must not matter.
	ballots: [...corrections, ...hongqiaoBallots, ...aijianBallots]
};

export const gateDetails: ExportDetails = {
	ballotId: 'demo-gate-2025',
	title: '爱建/虹桥侧门方案表决（演示数据）',
	opensAt: '2025-06-01T08:00:00+08:00',
	closesAt: '2025-06-10T20:00:00+08:00',
	exportedAt: '2025-06-10T20:05:00+08:00',
	rosterFrozenAt: '2025-06-01T08:00:00+08:00'
};
