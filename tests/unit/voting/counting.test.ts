import { describe, expect, it } from 'vitest';
import {
	personChoice,
	tallyOwnersVote,
	type BothChannelsRule,
	type CastBallot,
	type OwnersCompoundTally,
	type OwnersVoteInput,
	type RosterUnit
} from '../../../src/lib/domain/voting/index.ts';
import { equalUnits, newBallot, newCompound, newUnit, ownersVote } from './factories.ts';

function tallyOne(input: OwnersVoteInput, motion = 0): OwnersCompoundTally {
	return tallyOwnersVote(input).motions[motion].compounds[0] as OwnersCompoundTally;
}

function advisory(units: RosterUnit[], ballots: CastBallot[], bothChannelsRule?: BothChannelsRule): OwnersCompoundTally {
	return tallyOne(ownersVote('advisory', [newCompound('c', units)], ballots, { bothChannelsRule }));
}

describe('persons: the developer (SPC art. 9)', () => {
	const units = [
		...equalUnits(6),
		newUnit('d1', { status: 'developer_unsold', ownerKey: 'dev-a' }),
		newUnit('d2', { status: 'developer_unsold', ownerKey: '' }),
		newUnit('d3', { status: 'developer_unsold', ownerKey: 'dev-c' }),
		newUnit('d4', { status: 'sold_undelivered', ownerKey: 'buyer-x' }),
		newUnit('d5', { status: 'sold_undelivered', ownerKey: 'buyer-y' })
	];

	it('all unsold and undelivered units together count as one person, whatever their owner keys', () => {
		expect(advisory(units, []).total).toEqual({ areaHundredths: 110000, persons: 7 });
	});

	it('the developer voting with one unit counts as one person with that unit’s area', () => {
		const tally = advisory(units, [newBallot('d1', 'yes')]);
		expect(tally.yes).toEqual({ areaHundredths: 10000, persons: 1 });
		expect(tally.nonVoting).toEqual({ areaHundredths: 100000, persons: 6 });
	});

	it('the developer voting with all five units is still one person', () => {
		const ballots = ['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => newBallot(id, 'no'));
		expect(advisory(units, ballots).no).toEqual({ areaHundredths: 50000, persons: 1 });
	});

	it('a buyer’s delivered unit counts as the buyer’s own person, even when the buyer’s key is also on an undelivered unit', () => {
		// buyer-x bought d4 (not yet delivered: the developer's) and flat (delivered: buyer-x's own).
		const withFlat = [...units, newUnit('flat', { status: 'owned', ownerKey: 'buyer-x' })];
		expect(advisory(withFlat, []).total.persons).toBe(8);
		const tally = advisory(withFlat, [newBallot('flat', 'yes'), newBallot('d4', 'no')]);
		expect(tally.yes).toEqual({ areaHundredths: 10000, persons: 1 });
		expect(tally.no).toEqual({ areaHundredths: 10000, persons: 1 });
	});

	it('a delivered unit carrying the developer’s own key is a person apart from the developer', () => {
		const withOffice = [...units, newUnit('office', { status: 'owned', ownerKey: 'dev-a' })];
		expect(advisory(withOffice, []).total.persons).toBe(8);
	});

	it('two delivered units of one buyer stay one person beside the developer', () => {
		const twoFlats = [...units, newUnit('f1', { ownerKey: 'buyer-y' }), newUnit('f2', { ownerKey: 'buyer-y' })];
		const tally = advisory(twoFlats, [newBallot('f1', 'yes'), newBallot('f2', 'yes'), newBallot('d5', 'yes')]);
		expect(tally.total.persons).toBe(8);
		expect(tally.yes).toEqual({ areaHundredths: 30000, persons: 2 });
	});

	it('a compound with only owned units has one person per owner', () => {
		expect(advisory(equalUnits(5), []).total.persons).toBe(5);
	});
});

describe('persons: a buyer with several units, and co-owners', () => {
	// Owner "wang" holds u1 (60㎡), u2 (90㎡), u3 (30㎡); u4, u5 are single owners.
	const units = [
		newUnit('u1', { ownerKey: 'wang', areaHundredths: 6000 }),
		newUnit('u2', { ownerKey: 'wang', areaHundredths: 9000 }),
		newUnit('u3', { ownerKey: 'wang', areaHundredths: 3000 }),
		newUnit('u4', { areaHundredths: 8000 }),
		newUnit('u5', { areaHundredths: 8000 })
	];

	it('counts as one person; the areas add up', () => {
		const tally = advisory(
			units,
			['u1', 'u2', 'u3'].map((id) => newBallot(id, 'yes'))
		);
		expect(tally.total).toEqual({ areaHundredths: 34000, persons: 3 });
		expect(tally.yes).toEqual({ areaHundredths: 18000, persons: 1 });
	});

	it('voting with some units only: takes part as one person, with the voted units’ area only', () => {
		const tally = advisory(units, [newBallot('u2', 'no')]);
		expect(tally.no).toEqual({ areaHundredths: 9000, persons: 1 });
		expect(tally.participating).toEqual({ areaHundredths: 9000, persons: 1 });
		expect(tally.nonVoting).toEqual({ areaHundredths: 25000, persons: 2 });
	});

	// Units that voted differently: area always goes unit by unit; the person counts with the
	// choice carrying the largest area, or as abstaining when two choices tie for the largest.
	const splitCases: { name: string; choices: [string, 'yes' | 'no' | 'abstain'][]; personCountsAs: 'yes' | 'no' | 'abstain' }[] = [
		{
			name: 'yes 90㎡ vs no 60㎡ → yes',
			choices: [
				['u1', 'no'],
				['u2', 'yes']
			],
			personCountsAs: 'yes'
		},
		{
			name: 'no 90㎡ vs yes 60+30㎡ → tie → abstain',
			choices: [
				['u1', 'yes'],
				['u2', 'no'],
				['u3', 'yes']
			],
			personCountsAs: 'abstain'
		},
		{
			name: 'no 90㎡ vs yes 60㎡ → no',
			choices: [
				['u1', 'yes'],
				['u2', 'no']
			],
			personCountsAs: 'no'
		},
		{
			name: 'abstain 90㎡ vs yes 60㎡, no 30㎡ → abstain',
			choices: [
				['u1', 'yes'],
				['u2', 'abstain'],
				['u3', 'no']
			],
			personCountsAs: 'abstain'
		},
		{
			name: 'yes 60㎡ vs no 30㎡ (u2 not voted) → yes',
			choices: [
				['u1', 'yes'],
				['u3', 'no']
			],
			personCountsAs: 'yes'
		}
	];
	it.each(splitCases)('units voted differently: $name', ({ choices, personCountsAs }) => {
		const tally = advisory(
			units,
			choices.map(([id, choice]) => newBallot(id, choice))
		);
		expect(tally.participating.persons).toBe(1);
		expect(tally[personCountsAs].persons).toBe(1);
		const areaByChoice = { yes: 0, no: 0, abstain: 0 };
		const areaOf = Object.fromEntries(units.map((u) => [u.unitId, u.areaHundredths]));
		for (const [id, choice] of choices) areaByChoice[choice] += areaOf[id];
		expect(tally.yes.areaHundredths).toBe(areaByChoice.yes);
		expect(tally.no.areaHundredths).toBe(areaByChoice.no);
		expect(tally.abstain.areaHundredths).toBe(areaByChoice.abstain);
	});

	it('personChoice: strictly largest area wins, any tie at the top abstains', () => {
		expect(personChoice(0, 0, 0)).toBeNull();
		expect(personChoice(2, 1, 1)).toBe('yes');
		expect(personChoice(1, 2, 1)).toBe('no');
		expect(personChoice(1, 1, 2)).toBe('abstain');
		expect(personChoice(2, 2, 0)).toBe('abstain');
		expect(personChoice(2, 0, 2)).toBe('abstain');
	});

	it('co-owners of one unit: one vote for the unit, the latest counts', () => {
		// u4 is co-owned by Li and Zhao (one ownerKey); both vote electronically.
		const tally = advisory(units, [
			newBallot('u4', 'yes', { voterKey: 'li', castAt: '2025-06-02T09:00:00+08:00' }),
			newBallot('u4', 'no', { voterKey: 'zhao', castAt: '2025-06-02T11:00:00+08:00' })
		]);
		expect(tally.participating).toEqual({ areaHundredths: 8000, persons: 1 });
		expect(tally.no.persons).toBe(1);
		expect(tally.yes.persons).toBe(0);
		expect(tally.ballots).toMatchObject({ cast: 2, counted: 1, superseded: 1 });
	});
});

describe('which ballot counts: latest within a channel, then the both-channels rule', () => {
	const units = equalUnits(3);

	it('a changed electronic vote: the latest castAt counts, whatever the input order', () => {
		const early = newBallot('u1', 'yes', { castAt: '2025-06-02T09:00:00+08:00', seq: 900 });
		const late = newBallot('u1', 'no', { castAt: '2025-06-03T09:00:00+08:00', seq: 100 });
		expect(advisory(units, [early, late]).no.persons).toBe(1);
		expect(advisory(units, [late, early]).no.persons).toBe(1);
	});

	it('compares instants, not strings: 09:00+08:00 is before 02:00Z the same day', () => {
		const a = newBallot('u1', 'yes', { castAt: '2025-06-02T09:00:00+08:00' }); // 01:00Z
		const b = newBallot('u1', 'no', { castAt: '2025-06-02T02:00:00Z' });
		expect(advisory(units, [b, a]).no.persons).toBe(1);
	});

	it('same castAt: the higher seq counts', () => {
		const low = newBallot('u1', 'yes', { seq: 501 });
		const high = newBallot('u1', 'abstain', { seq: 502 });
		expect(advisory(units, [high, low]).abstain.persons).toBe(1);
		expect(advisory(units, [low, high]).abstain.persons).toBe(1);
	});

	const bothWays = [
		newBallot('u1', 'yes', { channel: 'electronic', castAt: '2025-06-02T09:00:00+08:00' }),
		newBallot('u1', 'no', { channel: 'paper', castAt: '2025-06-04T09:00:00+08:00', viaProxy: true })
	];

	it('voted both ways, default rule: the electronic ballot prevails even though the paper one is later', () => {
		const result = tallyOwnersVote(ownersVote('advisory', [newCompound('c', units)], bothWays));
		expect(result.bothChannelsRule).toBe('electronic_prevails');
		expect(result.bothChannelsRuleLabel).toBe('同一户既网上投票又书面投票的，以网上投票为准');
		const tally = result.motions[0].compounds[0] as OwnersCompoundTally;
		expect(tally.yes.persons).toBe(1);
		expect(tally.ballots).toEqual({ cast: 2, counted: 1, superseded: 1, electronic: 1, paper: 0, viaProxy: 0 });
	});

	it('voted both ways, paper_prevails: the paper ballot counts even though it is not the latest', () => {
		const early = [
			newBallot('u1', 'yes', { channel: 'electronic', castAt: '2025-06-05T09:00:00+08:00' }),
			newBallot('u1', 'no', { channel: 'paper', castAt: '2025-06-01T09:00:00+08:00', viaProxy: true })
		];
		const result = tallyOwnersVote(ownersVote('advisory', [newCompound('c', units)], early, { bothChannelsRule: 'paper_prevails' }));
		expect(result.bothChannelsRuleLabel).toBe('同一户既网上投票又书面投票的，以书面投票为准');
		const tally = result.motions[0].compounds[0] as OwnersCompoundTally;
		expect(tally.no.persons).toBe(1);
		expect(tally.ballots).toEqual({ cast: 2, counted: 1, superseded: 1, electronic: 0, paper: 1, viaProxy: 1 });
	});

	it('two paper ballots for one unit: the latest paper ballot is the paper vote', () => {
		const tally = advisory(
			units,
			[
				newBallot('u2', 'yes', { channel: 'paper', castAt: '2025-06-02T09:00:00+08:00' }),
				newBallot('u2', 'abstain', { channel: 'paper', castAt: '2025-06-02T10:00:00+08:00' })
			],
			'paper_prevails'
		);
		expect(tally.abstain.persons).toBe(1);
	});

	it('ballots are per motion: a unit may vote on A and not on B', () => {
		const input = ownersVote('advisory', [newCompound('c', units)], [newBallot('u1', 'yes', { motionId: 'A' })], {
			motions: [
				{ id: 'A', title: 'A' },
				{ id: 'B', title: 'B' }
			]
		});
		const result = tallyOwnersVote(input);
		expect((result.motions[0].compounds[0] as OwnersCompoundTally).participating.persons).toBe(1);
		expect((result.motions[1].compounds[0] as OwnersCompoundTally).participating.persons).toBe(0);
	});
});

describe('non-voters follow the majority (指导规则 art. 26; off by default)', () => {
	// 10 equal units; 7 vote: 3 yes, 2 no, 2 abstain. Actual ordinary approval: 3/7 < 1/2 → fails.
	const units = equalUnits(10);
	const ballots = [
		...['u1', 'u2', 'u3'].map((id) => newBallot(id, 'yes')),
		...['u4', 'u5'].map((id) => newBallot(id, 'no')),
		...['u6', 'u7'].map((id) => newBallot(id, 'abstain'))
	];

	it('is off by default and not applied', () => {
		const tally = tallyOne(ownersVote('ordinary', [newCompound('c', units)], ballots));
		expect(tally.nonVoterRule).toBe('off');
		expect(tally.nonVoterRuleApplied).toBe(false);
		expect(tally.decisive).toEqual({ participating: tally.participating, yes: tally.yes });
		expect(tally.outcome).toBe('not_passed');
	});

	it('when on, adds non-voters to the voters’ majority (yes), marks it, and decides on the whole roster', () => {
		const tally = tallyOne(ownersVote('ordinary', [newCompound('c', units, { nonVoterRule: 'follow_majority' })], ballots));
		expect(tally.nonVoterRuleApplied).toBe(true);
		expect(tally.nonVoterAddedTo).toBe('yes');
		expect(tally.yes).toEqual({ areaHundredths: 30000, persons: 3 }); // actual figures stay as cast
		expect(tally.decisive.yes).toEqual({ areaHundredths: 60000, persons: 6 });
		expect(tally.decisive.participating).toEqual(tally.total);
		expect(tally.outcome).toBe('passed');
	});

	it('adds non-voters to no when no has the majority', () => {
		const reversed = ballots.map((b) => ({
			...b,
			choice: b.choice === 'yes' ? ('no' as const) : b.choice === 'no' ? ('yes' as const) : b.choice
		}));
		const tally = tallyOne(ownersVote('ordinary', [newCompound('c', units, { nonVoterRule: 'follow_majority' })], reversed));
		expect(tally.nonVoterAddedTo).toBe('no');
		expect(tally.decisive.yes).toEqual(tally.yes);
		expect(tally.decisive.participating).toEqual(tally.total);
		expect(tally.outcome).toBe('not_passed');
	});

	it('adds nothing on a yes/no tie', () => {
		// 2 yes, 2 no, 4 abstain: 8 of 10 voted, so the quorum is met and only the tie stops the rule.
		const quorate = [...ballots.slice(0, 2), ...ballots.slice(3), newBallot('u8', 'abstain'), newBallot('u9', 'abstain')];
		const tally = tallyOne(ownersVote('ordinary', [newCompound('c', units, { nonVoterRule: 'follow_majority' })], quorate));
		expect(tally.nonVoterRuleApplied).toBe(false);
		expect(tally.nonVoterAddedTo).toBeNull();
		expect(tally.outcome).toBe('not_passed');
	});

	it('adds nothing when area and persons disagree about the majority', () => {
		// u1 (big) yes; u2, u3 no; u4 does not vote. Area majority yes, persons majority no.
		const mixed = [newUnit('u1', { areaHundredths: 50000 }), ...equalUnits(3).slice(1), newUnit('u4')];
		const tally = tallyOne(
			ownersVote(
				'ordinary',
				[newCompound('c', mixed, { nonVoterRule: 'follow_majority' })],
				[newBallot('u1', 'yes'), newBallot('u2', 'no'), newBallot('u3', 'no')]
			)
		);
		expect(tally.thresholds.filter((t) => t.id.startsWith('participation')).every((t) => t.met)).toBe(true);
		expect(tally.nonVoterRuleApplied).toBe(false);
	});

	it('cannot manufacture a quorum: participation is tested on actual voters only', () => {
		const few = ballots.slice(0, 5); // 5 of 10 voted
		const tally = tallyOne(ownersVote('ordinary', [newCompound('c', units, { nonVoterRule: 'follow_majority' })], few));
		expect(tally.outcome).toBe('quorum_not_met');
		expect(tally.nonVoterRuleApplied).toBe(false);
	});

	it('can carry a major matter over 3/4 only through the non-voters', () => {
		// 12 units, 9 vote: 6 yes, 1 no, 2 abstain → 6/9 < 3/4 actual; with 3 non-voters: 9/12 = 3/4.
		const twelve = equalUnits(12);
		const cast = [
			...['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((id) => newBallot(id, 'yes')),
			newBallot('u7', 'no'),
			...['u8', 'u9'].map((id) => newBallot(id, 'abstain'))
		];
		expect(tallyOne(ownersVote('major', [newCompound('c', twelve)], cast)).passed).toBe(false);
		expect(tallyOne(ownersVote('major', [newCompound('c', twelve, { nonVoterRule: 'follow_majority' })], cast)).passed).toBe(true);
	});

	it('does not apply to art. 279 unanimity or advisory polls', () => {
		for (const ruleKind of ['unanimous_affected', 'advisory'] as const) {
			const tally = tallyOne(ownersVote(ruleKind, [newCompound('c', units, { nonVoterRule: 'follow_majority' })], ballots));
			expect(tally.nonVoterRuleApplied).toBe(false);
		}
	});
});
