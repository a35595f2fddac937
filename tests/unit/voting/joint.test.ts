import { describe, expect, it } from 'vitest';
import {
	canForceResidentsMeeting,
	tallyOwnersVote,
	tallyResidentsMeeting,
	tallyVote,
	TallyInputError,
	type MeetingCompoundTally,
	type OwnersCompoundTally,
	type ResidentsMeetingInput
} from '../../../src/lib/domain/voting/index.ts';
import { equalUnits, newBallot, newCompound, newUnit, ownersVote, votes } from './factories.ts';

/** Ballots for compound `compoundId` (unit ids repeat across compounds, so compoundId is given). */
function votesIn(compoundId: string, counts: { yes?: number; no?: number; abstain?: number }) {
	return votes(counts, { compoundId });
}

describe('joint decisions: concurrent majority across compounds', () => {
	// The side gate is a major matter (items 7/8). 爱建 10 units: 8 yes, 1 no → passes.
	// 虹桥 12 units: 6 yes, 4 no → 60% < 3/4 → fails. Owners' votes are never pooled.
	const aijian = newCompound('aijian', equalUnits(10), { name: '爱建小区' });
	const hongqiao = newCompound('hongqiao', equalUnits(12), { name: '虹桥小区' });
	const ballots = [...votesIn('aijian', { yes: 8, no: 1 }), ...votesIn('hongqiao', { yes: 6, no: 4 })];

	it('爱建 passes, 虹桥 fails → the joint decision fails', () => {
		const motion = tallyOwnersVote(ownersVote('major', [aijian, hongqiao], ballots)).motions[0];
		expect(motion.compounds.map((c) => [c.compoundId, c.passed])).toEqual([
			['aijian', true],
			['hongqiao', false]
		]);
		expect(motion.joint).toMatchObject({
			rule: 'concurrent_majority',
			passed: false,
			outcome: 'not_passed',
			outcomeLabel: '未通过',
			failingCompoundIds: ['hongqiao']
		});
		expect(motion.pooled).toBeNull();
	});

	it('passes when every compound passes under its own denominators', () => {
		const both = [...votesIn('aijian', { yes: 8, no: 1 }), ...votesIn('hongqiao', { yes: 9, no: 3 })];
		const motion = tallyOwnersVote(ownersVote('major', [aijian, hongqiao], both)).motions[0];
		expect(motion.joint.passed).toBe(true);
		expect(motion.joint.outcomeLabel).toBe('通过');
		expect(motion.joint.failingCompoundIds).toEqual([]);
	});

	it('a compound that misses its quorum sinks the joint decision', () => {
		const thin = [...votesIn('aijian', { yes: 10 }), ...votesIn('hongqiao', { yes: 7 })];
		const motion = tallyOwnersVote(ownersVote('ordinary', [aijian, hongqiao], thin)).motions[0];
		expect(motion.compounds[1].outcome).toBe('quorum_not_met');
		expect(motion.joint.passed).toBe(false);
	});

	it('each compound has its own denominators (a big compound cannot outvote a small one)', () => {
		const big = newCompound('big', equalUnits(100));
		const small = newCompound('small', equalUnits(3));
		const motion = tallyOwnersVote(
			ownersVote('ordinary', [big, small], [...votesIn('big', { yes: 100 }), ...votesIn('small', { no: 3 })])
		).motions[0];
		expect((motion.compounds[0] as OwnersCompoundTally).total.persons).toBe(100);
		expect((motion.compounds[1] as OwnersCompoundTally).total.persons).toBe(3);
		expect(motion.joint.passed).toBe(false);
	});

	it('several motions on one ballot are decided independently (alternatives A, B, C)', () => {
		const motions = [
			{ id: 'A', title: '方案A：全天开放' },
			{ id: 'B', title: '方案B：6:00–22:00 开放' },
			{ id: 'C', title: '方案C：保持关闭' }
		];
		const cast = [
			...votes({ yes: 9, no: 1 }, { motionId: 'A' }),
			...votes({ yes: 6, no: 4 }, { motionId: 'B' }),
			...votes({ no: 10 }, { motionId: 'C' })
		];
		const result = tallyOwnersVote(ownersVote('major', [newCompound('c', equalUnits(10))], cast, { motions }));
		expect(result.motions.map((m) => [m.motionId, m.title, m.joint.passed])).toEqual([
			['A', '方案A：全天开放', true],
			['B', '方案B：6:00–22:00 开放', false],
			['C', '方案C：保持关闭', false]
		]);
	});

	it('labels the rule on the result', () => {
		const result = tallyOwnersVote(ownersVote('major', [aijian, hongqiao], ballots));
		expect(result.ruleLabel).toBe('重大事项 (民法典第二百七十八条第一款第六至八项)');
		expect(result.legallyBinding).toBe(true);
		expect(tallyOwnersVote(ownersVote('ordinary', [aijian], [])).ruleLabel).toBe('普通事项');
	});
});

describe('advisory polls: per compound and pooled, never a legal pass', () => {
	const aijian = newCompound('aijian', equalUnits(4), { name: '爱建小区' });
	const hongqiao = newCompound('hongqiao', [newUnit('u1', { areaHundredths: 5000 }), newUnit('u2', { areaHundredths: 7000 })], {
		name: '虹桥小区'
	});
	const result = tallyOwnersVote(
		ownersVote('advisory', [aijian, hongqiao], [...votesIn('aijian', { yes: 4 }), newBallot('u1', 'no', { compoundId: 'hongqiao' })])
	);
	const motion = result.motions[0];

	it('is labelled advisory and never passes, even when everyone says yes somewhere', () => {
		expect(result.ruleLabel).toBe('咨询性投票');
		expect(result.legallyBinding).toBe(false);
		expect(motion.compounds.every((c) => c.outcome === 'advisory' && !c.passed && c.outcomeLabel === '咨询性，不具法律效力')).toBe(
			true
		);
		expect(motion.joint).toMatchObject({ rule: 'advisory', passed: false, outcome: 'advisory' });
		expect((motion.compounds[0] as OwnersCompoundTally).thresholds).toEqual([]);
	});

	it('pools the figures across compounds, labelled as having no legal effect', () => {
		expect(motion.pooled).toEqual({
			label: '合并统计（咨询性，不具法律效力）',
			total: { areaHundredths: 52000, persons: 6 },
			participating: { areaHundredths: 45000, persons: 5 },
			yes: { areaHundredths: 40000, persons: 4 },
			no: { areaHundredths: 5000, persons: 1 },
			abstain: { areaHundredths: 0, persons: 0 },
			nonVoting: { areaHundredths: 7000, persons: 1 },
			leaning: { area: 'yes', persons: 'yes' }
		});
	});

	it('shows which way each compound leans', () => {
		expect((motion.compounds[1] as OwnersCompoundTally).leaning).toEqual({ area: 'no', persons: 'no' });
	});
});

describe('unanimity of the affected owners (art. 279)', () => {
	const affected = newCompound('c', [...equalUnits(3), newUnit('u4', { ownerKey: 'owner-u3' })]); // u3, u4: one person

	it('passes when every affected person consents', () => {
		const tally = tallyOwnersVote(ownersVote('unanimous_affected', [affected], votes({ yes: 4 }))).motions[0].compounds[0];
		expect(tally.passed).toBe(true);
		expect(tally.thresholds[0]).toMatchObject({ id: 'unanimous_consent', actual: { numerator: 3, denominator: 3 }, met: true });
	});

	it.each([
		{ name: 'one abstains', ballots: [...votes({ yes: 3 }), newBallot('u4', 'abstain')] },
		{ name: 'one says no', ballots: [newBallot('u1', 'no'), ...votes({ yes: 4 }).slice(1)] },
		{ name: 'one does not vote', ballots: votes({ yes: 4 }).slice(1) },
		{ name: 'a two-unit owner says yes with one unit and no with the other', ballots: [...votes({ yes: 3 }), newBallot('u4', 'no')] }
	])('fails when $name', ({ ballots }) => {
		const result = tallyOwnersVote(ownersVote('unanimous_affected', [affected], ballots));
		expect(result.motions[0].compounds[0].passed).toBe(false);
		expect(result.motions[0].joint.passed).toBe(false);
		expect(result.ruleLabel).toBe('全体受影响业主一致同意');
	});

	it('a multi-unit owner consenting with one unit (the other unvoted) is one consenting person', () => {
		const ballots = votes({ yes: 3 }); // u4 (same person as u3) does not vote
		expect(tallyOwnersVote(ownersVote('unanimous_affected', [affected], ballots)).motions[0].compounds[0].passed).toBe(true);
	});

	it('an empty electorate does not pass', () => {
		expect(tallyOwnersVote(ownersVote('unanimous_affected', [newCompound('c', [])], [])).motions[0].joint.passed).toBe(false);
	});
});

describe('residents’ meeting (居民委员会组织法 arts. 9–10)', () => {
	function meeting(eligible: number, attendees: number, yes: number, no = 0, abstain = 0): ResidentsMeetingInput {
		return {
			ruleKind: 'residents_meeting',
			motions: [{ id: 'A', title: '增设非机动车棚' }],
			meetings: [
				{
					compoundId: 'aijian-jw',
					name: '爱建居民区',
					basis: 'adult_residents',
					eligible,
					attendees,
					votes: [{ motionId: 'A', yes, no, abstain }]
				}
			]
		};
	}
	const cases = [
		{ name: 'exactly half attend: no quorum', eligible: 100, attendees: 50, yes: 50, outcome: 'quorum_not_met' },
		{ name: 'more than half attend, more than half of them yes', eligible: 100, attendees: 51, yes: 26, outcome: 'passed' },
		{ name: 'exactly half of those present: fails', eligible: 100, attendees: 52, yes: 26, outcome: 'not_passed' },
		{
			name: 'abstentions count against (25 yes, 26 abstain of 51)',
			eligible: 100,
			attendees: 51,
			yes: 25,
			abstain: 26,
			outcome: 'not_passed'
		},
		{ name: 'yes of those present, not of all eligible', eligible: 1000, attendees: 501, yes: 251, outcome: 'passed' },
		{ name: '250 of 501 present fails', eligible: 1000, attendees: 501, yes: 250, outcome: 'not_passed' }
	] as const;
	it.each(cases)('$name → $outcome', (row) => {
		const { eligible, attendees, yes, outcome } = row;
		const abstain = 'abstain' in row ? row.abstain : 0;
		const tally = tallyResidentsMeeting(meeting(eligible, attendees, yes, 0, abstain)).motions[0].compounds[0] as MeetingCompoundTally;
		expect(tally.outcome).toBe(outcome);
		expect(tally.thresholds.map((t) => t.id)).toEqual(['meeting_quorum', 'meeting_approval']);
	});

	it('has its own labels and goes through tallyVote', () => {
		const result = tallyVote(meeting(100, 60, 40, 10, 10));
		expect(result.ruleLabel).toBe('居民会议');
		expect(result.bothChannelsRule).toBeNull();
		const tally = result.motions[0].compounds[0] as MeetingCompoundTally;
		expect(tally).toMatchObject({ kind: 'meeting', basisLabel: '十八周岁以上居民', attendees: 60, yes: 40, outcomeLabel: '通过' });
	});

	it('rejects impossible counts in both languages', () => {
		expect(() => tallyResidentsMeeting(meeting(100, 120, 10))).toThrow(TallyInputError);
		expect(() => tallyResidentsMeeting(meeting(100, 60, 50, 20))).toThrow(/exceeds attendees/);
	});

	it('1/5 of residents may force a meeting (五分之一以上, bound included)', () => {
		expect(canForceResidentsMeeting(20, 100)).toBe(true);
		expect(canForceResidentsMeeting(19, 100)).toBe(false);
		expect(canForceResidentsMeeting(0, 0)).toBe(false);
	});
});

describe('invalid input is refused with every problem, in Chinese and English', () => {
	const compound = newCompound('c', equalUnits(3));
	const problemsOf = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			if (error instanceof TallyInputError) return error.problems;
			throw error;
		}
		throw new Error('expected a TallyInputError');
	};

	it.each([
		{ name: 'a ballot for a unit not in the frozen roster', ballots: [newBallot('u9', 'yes')], path: 'ballots[0].unitId' },
		{ name: 'a ballot for an unknown motion', ballots: [newBallot('u1', 'yes', { motionId: 'Z' })], path: 'ballots[0].motionId' },
		{ name: 'a bad choice', ballots: [newBallot('u1', 'maybe' as 'yes')], path: 'ballots[0].choice' },
		{ name: 'castAt without offset', ballots: [newBallot('u1', 'yes', { castAt: '2025-06-02 10:00' })], path: 'ballots[0].castAt' },
		{ name: 'duplicate seq', ballots: [newBallot('u1', 'yes', { seq: 7 }), newBallot('u2', 'yes', { seq: 7 })], path: 'ballots[1].seq' }
	])('$name', ({ ballots, path }) => {
		const problems = problemsOf(() => tallyOwnersVote(ownersVote('ordinary', [compound], ballots)));
		expect(problems.map((p) => p.path)).toContain(path);
		expect(problems.every((p) => p.zh.length > 0 && p.en.length > 0)).toBe(true);
	});

	it.each([
		{ name: 'a fractional area', unit: newUnit('u1', { areaHundredths: 89.5 }), path: 'compounds[0].units[0].areaHundredths' },
		{ name: 'a zero area', unit: newUnit('u1', { areaHundredths: 0 }), path: 'compounds[0].units[0].areaHundredths' },
		{ name: 'an unknown status', unit: newUnit('u1', { status: 'rented' as 'owned' }), path: 'compounds[0].units[0].status' },
		{ name: 'a delivered unit without owner key', unit: newUnit('u1', { ownerKey: '' }), path: 'compounds[0].units[0].ownerKey' }
	])('$name', ({ unit, path }) => {
		const problems = problemsOf(() => tallyOwnersVote(ownersVote('ordinary', [newCompound('c', [unit])], [])));
		expect(problems.map((p) => p.path)).toContain(path);
	});

	it('a unit id in two compounds needs the ballot to name its compound', () => {
		const two = [newCompound('a', equalUnits(2)), newCompound('b', equalUnits(2))];
		expect(problemsOf(() => tallyOwnersVote(ownersVote('ordinary', two, [newBallot('u1', 'yes')])))[0].path).toBe(
			'ballots[0].compoundId'
		);
		const named = tallyOwnersVote(ownersVote('ordinary', two, [newBallot('u1', 'yes', { compoundId: 'b' })]));
		expect((named.motions[0].compounds[1] as OwnersCompoundTally).yes.persons).toBe(1);
		expect((named.motions[0].compounds[0] as OwnersCompoundTally).yes.persons).toBe(0);
	});
});
