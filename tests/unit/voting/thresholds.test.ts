import { describe, expect, it } from 'vitest';
import { tallyOwnersVote, type OwnersCompoundTally, type OwnersRuleKind } from '../../../src/lib/domain/voting/index.ts';
import { equalUnits, newBallot, newCompound, newUnit, ownersVote, votes } from './factories.ts';

/** The one compound's tally of motion A. */
function tallyOne(ruleKind: OwnersRuleKind, units = equalUnits(9), ballots = votes({ yes: 6 })): OwnersCompoundTally {
	const result = tallyOwnersVote(ownersVote(ruleKind, [newCompound('c', units)], ballots));
	return result.motions[0].compounds[0] as OwnersCompoundTally;
}

function check(tally: OwnersCompoundTally, id: string) {
	const found = tally.thresholds.find((t) => t.id === id);
	if (!found) throw new Error(`no threshold ${id}`);
	return found;
}

describe('participation (art. 278 ¶2: 三分之二以上, bound included), same for ordinary and major', () => {
	// Equal areas, single owners, everybody who votes says yes, so only participation can fail.
	const cases: { name: string; units: number; voters: number; met: boolean }[] = [
		{ name: 'exactly 2/3 (6 of 9)', units: 9, voters: 6, met: true },
		{ name: 'just below 2/3 (5 of 9)', units: 9, voters: 5, met: false },
		{ name: 'exactly 2/3 (2 of 3)', units: 3, voters: 2, met: true },
		{ name: 'just below 2/3 (199 of 300)', units: 300, voters: 199, met: false },
		{ name: 'exactly 2/3 (200 of 300)', units: 300, voters: 200, met: true },
		{ name: 'everyone', units: 4, voters: 4, met: true },
		{ name: 'nobody', units: 4, voters: 0, met: false }
	];
	for (const ruleKind of ['ordinary', 'major'] as const) {
		it.each(cases)(`${ruleKind}: $name → participation met: $met`, ({ units, voters, met }) => {
			const tally = tallyOne(ruleKind, equalUnits(units), votes({ yes: voters }));
			expect(check(tally, 'participation_area').met).toBe(met);
			expect(check(tally, 'participation_persons').met).toBe(met);
			expect(tally.outcome).toBe(met ? 'passed' : 'quorum_not_met');
			expect(tally.outcomeLabel).toBe(met ? '通过' : '未达参与门槛');
		});
	}

	it('area 2/3 met but persons not → 未达参与门槛', () => {
		// One big unit (800) votes; two small units (100 each) do not: area 80%, persons 1/3.
		const units = [
			newUnit('u1', { areaHundredths: 800 }),
			newUnit('u2', { areaHundredths: 100 }),
			newUnit('u3', { areaHundredths: 100 })
		];
		const tally = tallyOne('ordinary', units, votes({ yes: 1 }));
		expect(check(tally, 'participation_area').met).toBe(true);
		expect(check(tally, 'participation_persons').met).toBe(false);
		expect(tally.outcome).toBe('quorum_not_met');
		expect(tally.passed).toBe(false);
	});

	it('persons 2/3 met but area not → 未达参与门槛', () => {
		const units = [
			newUnit('u1', { areaHundredths: 100 }),
			newUnit('u2', { areaHundredths: 100 }),
			newUnit('u3', { areaHundredths: 800 })
		];
		const tally = tallyOne('ordinary', units, votes({ yes: 2 }));
		expect(check(tally, 'participation_area').met).toBe(false);
		expect(check(tally, 'participation_persons').met).toBe(true);
		expect(tally.outcome).toBe('quorum_not_met');
	});

	it('area exactly 2/3 to the hundredth of a ㎡ is met; one hundredth less is not', () => {
		// Total 3 × 33,333,333 hundredths; floats would blur the boundary, integers do not.
		const big = 33_333_333;
		const exact = [newUnit('u1', { areaHundredths: 2 * big }), newUnit('u2', { areaHundredths: big })];
		expect(check(tallyOne('ordinary', exact, votes({ yes: 1 })), 'participation_area').met).toBe(true);
		const short = [newUnit('u1', { areaHundredths: 2 * big - 1 }), newUnit('u2', { areaHundredths: big + 1 })];
		expect(check(tallyOne('ordinary', short, votes({ yes: 1 })), 'participation_area').met).toBe(false);
	});

	it('abstentions count as participation', () => {
		const tally = tallyOne('ordinary', equalUnits(9), votes({ yes: 4, abstain: 2 }));
		expect(tally.participating).toEqual({ areaHundredths: 60000, persons: 6 });
		expect(check(tally, 'participation_persons').met).toBe(true);
		expect(tally.outcome).toBe('passed');
	});

	it('reports the fraction and a display line', () => {
		const tally = tallyOne('ordinary', equalUnits(9), votes({ yes: 6 }));
		const area = check(tally, 'participation_area');
		expect(area.actual).toEqual({ numerator: 60000, denominator: 90000 });
		expect(area.required).toEqual({ numerator: 2, denominator: 3 });
		expect(area.comparison).toBe('at_least');
		expect(area.label).toBe('参与表决专有部分面积占比');
		expect(area.display).toBe('600.00㎡ / 900.00㎡ = 66.66%，要求 ≥ 2/3：达到');
	});

	it('an empty roster never has a quorum', () => {
		const tally = tallyOne('ordinary', [], []);
		expect(tally.outcome).toBe('quorum_not_met');
	});
});

describe('ordinary approval (过半数: strictly more than half, in area AND persons)', () => {
	// 10 equal single-owner units, all vote, so participation is always met.
	const cases: { name: string; yes: number; no: number; abstain: number; passed: boolean }[] = [
		{ name: 'exactly half is not a majority (5–5 tie)', yes: 5, no: 5, abstain: 0, passed: false },
		{ name: 'one more than half', yes: 6, no: 4, abstain: 0, passed: true },
		{ name: 'abstentions are in the denominator (5 yes, 4 no, 1 abstain)', yes: 5, no: 4, abstain: 1, passed: false },
		{ name: 'abstentions do not block a real majority (6 yes, 0 no, 4 abstain)', yes: 6, no: 0, abstain: 4, passed: true },
		{ name: 'unanimous yes', yes: 10, no: 0, abstain: 0, passed: true },
		{ name: 'all abstain', yes: 0, no: 0, abstain: 10, passed: false }
	];
	it.each(cases)('$name → passed: $passed', ({ yes, no, abstain, passed }) => {
		const tally = tallyOne('ordinary', equalUnits(10), votes({ yes, no, abstain }));
		expect(tally.passed).toBe(passed);
		expect(tally.outcome).toBe(passed ? 'passed' : 'not_passed');
		expect(check(tally, 'approval_area').comparison).toBe('more_than');
	});

	it('a majority of area but not of persons fails', () => {
		// u1 (700) says yes; u2, u3 (100 each) say no: area 7/9 yes, persons 1/3 yes.
		const units = [
			newUnit('u1', { areaHundredths: 700 }),
			newUnit('u2', { areaHundredths: 100 }),
			newUnit('u3', { areaHundredths: 100 })
		];
		const tally = tallyOne('ordinary', units, votes({ yes: 1, no: 2 }));
		expect(check(tally, 'approval_area').met).toBe(true);
		expect(check(tally, 'approval_persons').met).toBe(false);
		expect(tally.outcome).toBe('not_passed');
	});

	it('a majority of persons but not of area fails', () => {
		const units = [
			newUnit('u1', { areaHundredths: 100 }),
			newUnit('u2', { areaHundredths: 100 }),
			newUnit('u3', { areaHundredths: 700 })
		];
		const tally = tallyOne('ordinary', units, votes({ yes: 2, no: 1 }));
		expect(check(tally, 'approval_area').met).toBe(false);
		expect(check(tally, 'approval_persons').met).toBe(true);
		expect(tally.outcome).toBe('not_passed');
	});

	it('exactly half of the area fails; one hundredth more passes', () => {
		const units = [
			newUnit('u1', { areaHundredths: 5001 }),
			newUnit('u2', { areaHundredths: 5000 }),
			newUnit('u3', { areaHundredths: 1 })
		];
		// persons: u1 and u3 yes (2 of 3), area 5002 of 10002 → exactly half → fails.
		const exactlyHalf = tallyOne('ordinary', units, [newBallot('u1', 'yes'), newBallot('u3', 'no'), newBallot('u2', 'no')]);
		expect(check(exactlyHalf, 'approval_area').actual).toEqual({ numerator: 5001, denominator: 10002 });
		expect(check(exactlyHalf, 'approval_area').met).toBe(false);
		const more = tallyOne('ordinary', units, [newBallot('u1', 'yes'), newBallot('u3', 'yes'), newBallot('u2', 'no')]);
		expect(check(more, 'approval_area').met).toBe(true);
		expect(more.passed).toBe(true);
	});
});

describe('major approval (items 6–8: 四分之三以上, bound included, in area AND persons)', () => {
	const cases: { name: string; units: number; yes: number; no: number; abstain: number; passed: boolean }[] = [
		{ name: 'exactly 3/4 (6 of 8)', units: 8, yes: 6, no: 2, abstain: 0, passed: true },
		{ name: 'just below 3/4 (5 of 8)', units: 8, yes: 5, no: 3, abstain: 0, passed: false },
		{ name: 'exactly 3/4 with an abstention (3 yes, 1 abstain)', units: 4, yes: 3, no: 0, abstain: 1, passed: true },
		{ name: 'abstentions pull below 3/4 (3 yes, 0 no, 2 abstain)', units: 5, yes: 3, no: 0, abstain: 2, passed: false },
		{ name: 'two thirds is not enough (2 of 3)', units: 3, yes: 2, no: 1, abstain: 0, passed: false },
		{ name: '74 of 99 (74.7%) fails', units: 99, yes: 74, no: 25, abstain: 0, passed: false },
		{ name: '75 of 100 passes', units: 100, yes: 75, no: 25, abstain: 0, passed: true }
	];
	it.each(cases)('$name → passed: $passed', ({ units, yes, no, abstain, passed }) => {
		const tally = tallyOne('major', equalUnits(units), votes({ yes, no, abstain }));
		expect(tally.passed).toBe(passed);
		expect(check(tally, 'approval_persons').required).toEqual({ numerator: 3, denominator: 4 });
		expect(check(tally, 'approval_persons').comparison).toBe('at_least');
	});

	it('the same figures pass as ordinary and fail as major', () => {
		const ballots = votes({ yes: 6, no: 4 });
		expect(tallyOne('ordinary', equalUnits(10), ballots).passed).toBe(true);
		expect(tallyOne('major', equalUnits(10), ballots).passed).toBe(false);
	});

	it('3/4 of persons but not of area fails', () => {
		const units = [...equalUnits(3, 100), newUnit('u4', { areaHundredths: 1000 })];
		const tally = tallyOne('major', units, votes({ yes: 3, no: 1 }));
		expect(check(tally, 'approval_persons').met).toBe(true);
		expect(check(tally, 'approval_area').met).toBe(false);
		expect(tally.passed).toBe(false);
	});

	it('passing approval does not rescue a missing quorum', () => {
		const tally = tallyOne('major', equalUnits(9), votes({ yes: 5 }));
		expect(check(tally, 'approval_area').met).toBe(true);
		expect(tally.outcome).toBe('quorum_not_met');
	});
});
