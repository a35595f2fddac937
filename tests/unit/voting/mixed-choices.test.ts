/**
 * 多套房屋投票不一致: a person whose units voted differently is listed, settled by the 业委会 and
 * counted in persons as settled; area always stays unit by unit. Legal vectors: SPC interpretation
 * art. 9 (one buyer with several units is one person; the developer's units are one person).
 */
import { describe, expect, it } from 'vitest';
import {
	allowedSettlementChoices,
	buildExport,
	findOwnersVoteProblems,
	mixedChoiceCases,
	parseExport,
	settlementSummary,
	tallyOwnersVote,
	verifyExport,
	type Choice,
	type OwnersCompoundTally,
	type OwnersRuleKind,
	type PersonSettlement
} from '../../../src/lib/domain/voting/index.ts';
import { newBallot, newCompound, newUnit, ownersVote } from './factories.ts';

// One buyer (owner key B) with three units of 90, 60 and 30 ㎡; two single-unit owners; two developer units.
const units = [
	newUnit('b1', { ownerKey: 'B', areaHundredths: 9000 }),
	newUnit('b2', { ownerKey: 'B', areaHundredths: 6000 }),
	newUnit('b3', { ownerKey: 'B', areaHundredths: 3000 }),
	newUnit('o1', { areaHundredths: 10000 }),
	newUnit('o2', { areaHundredths: 10000 }),
	newUnit('d1', { status: 'developer_unsold', ownerKey: 'dev', areaHundredths: 8000 }),
	newUnit('d2', { status: 'sold_undelivered', ownerKey: 'buyer-x', areaHundredths: 7000 })
];
const paper = { channel: 'paper' as const };

function casesOf(ruleKind: OwnersRuleKind, choices: [string, Choice][]) {
	const found = findOwnersVoteProblems(
		ownersVote(
			ruleKind,
			[newCompound('c', units)],
			choices.map(([id, c]) => newBallot(id, c, paper))
		)
	);
	expect(found.problems).toEqual([]);
	return mixedChoiceCases(found.vote, found.ballots);
}

function tally(choices: [string, Choice][], settlements?: PersonSettlement[], ruleKind: OwnersRuleKind = 'ordinary') {
	const ballots = choices.map(([id, c]) => newBallot(id, c, paper));
	const input = ownersVote(ruleKind, [newCompound('c', units)], ballots, settlements ? { personSettlements: settlements } : {});
	return tallyOwnersVote(input).motions[0].compounds[0] as OwnersCompoundTally;
}

describe('listing persons whose units voted differently', () => {
	it.each([
		{
			name: 'all of a buyer’s units agree: no case',
			choices: [
				['b1', 'yes'],
				['b2', 'yes'],
				['b3', 'yes']
			],
			cases: []
		},
		{
			name: 'a buyer yes 90 / no 60: one case with both units',
			choices: [
				['b1', 'yes'],
				['b2', 'no']
			],
			cases: [['b1:yes', 'b2:no']]
		},
		{
			name: 'a unit not voted is not part of the case',
			choices: [
				['b1', 'abstain'],
				['b3', 'no']
			],
			cases: [['b1:abstain', 'b3:no']]
		},
		{
			name: 'two owners disagreeing are two persons: no case',
			choices: [
				['o1', 'yes'],
				['o2', 'no']
			],
			cases: []
		},
		{
			name: 'the developer’s units are one person whatever key they carry',
			choices: [
				['d1', 'yes'],
				['d2', 'no']
			],
			cases: [['d1:yes', 'd2:no']]
		}
	] as { name: string; choices: [string, Choice][]; cases: string[][] }[])('$name', ({ choices, cases }) => {
		expect(casesOf('ordinary', choices).map((c) => c.units.map((u) => `${u.unitId}:${u.choice}`))).toEqual(cases);
	});

	it('the developer is marked as such; areas and channels are listed per unit', () => {
		const [c] = casesOf('major', [
			['d1', 'yes'],
			['d2', 'abstain']
		]);
		expect(c).toMatchObject({ compoundId: 'c', motionId: 'A', developer: true });
		expect(c.units).toEqual([
			{ unitId: 'd1', choice: 'yes', areaHundredths: 8000, channel: 'paper', viaProxy: false },
			{ unitId: 'd2', choice: 'abstain', areaHundredths: 7000, channel: 'paper', viaProxy: false }
		]);
	});

	it('under art. 279 nothing needs settling: mixed units simply do not consent', () => {
		expect(
			casesOf('unanimous_affected', [
				['b1', 'yes'],
				['b2', 'no']
			])
		).toEqual([]);
	});

	it('only the ballot that counts decides: a later electronic ballot that agrees removes the case', () => {
		const ballots = [newBallot('b1', 'yes', paper), newBallot('b2', 'no', paper), newBallot('b2', 'yes', { channel: 'electronic' })];
		const found = findOwnersVoteProblems(ownersVote('ordinary', [newCompound('c', units)], ballots));
		expect(mixedChoiceCases(found.vote, found.ballots)).toEqual([]);
	});

	it('may be settled with a choice the units cast, or abstain', () => {
		expect(allowedSettlementChoices({ units: [{ choice: 'yes' }, { choice: 'no' }] })).toEqual(['yes', 'no', 'abstain']);
		expect(allowedSettlementChoices({ units: [{ choice: 'no' }, { choice: 'abstain' }] })).toEqual(['no', 'abstain']);
	});
});

describe('counting a settled person', () => {
	const split: [string, Choice][] = [
		['b1', 'no'],
		['b2', 'yes'],
		['b3', 'yes'],
		['o1', 'yes']
	];
	const settle = (choice: Choice, basis: PersonSettlement['basis'] = 'owner_stated'): PersonSettlement => ({
		compoundId: 'c',
		motionId: 'A',
		units: [
			{ unitId: 'b1', choice: 'no' },
			{ unitId: 'b2', choice: 'yes' },
			{ unitId: 'b3', choice: 'yes' }
		],
		choice,
		basis
	});

	it.each([
		// without settlements (old exports): 90 no vs 60+30 yes ties → abstain
		{ name: 'no settlements: the largest-area rule of old exports', settlements: undefined, yes: 1, no: 0, abstain: 1 },
		{ name: 'the owner states yes', settlements: [settle('yes')], yes: 2, no: 0, abstain: 0 },
		{ name: 'the owner states no', settlements: [settle('no')], yes: 1, no: 1, abstain: 0 },
		{ name: 'not reached: abstains', settlements: [settle('abstain', 'owner_unreachable')], yes: 1, no: 0, abstain: 1 }
	])('$name', ({ settlements, yes, no, abstain }) => {
		const t = tally(split, settlements);
		expect([t.yes.persons, t.no.persons, t.abstain.persons]).toEqual([yes, no, abstain]);
		// area never moves: each unit's area stays with its own choice
		expect([t.yes.areaHundredths, t.no.areaHundredths, t.abstain.areaHundredths]).toEqual([19000, 9000, 0]);
		expect(t.participating).toEqual({ areaHundredths: 28000, persons: 2 });
	});

	const noAsAbstain = settle('no').units.map((u) => ({ ...u, choice: u.choice === 'no' ? ('abstain' as Choice) : u.choice }));
	it.each([
		{ name: 'a case left open when settlements are given', settlements: [], message: '未经业委会处理' },
		{
			name: 'a settlement whose units no longer match',
			settlements: [
				{
					...settle('yes'),
					units: [
						{ unitId: 'b1', choice: 'yes' as Choice },
						{ unitId: 'b2', choice: 'yes' as Choice }
					]
				}
			],
			message: '对应不上'
		},
		{
			name: 'a choice none of the units cast',
			// the case stated with abstain where the unit said no, settled as no: matches no case
			settlements: [{ ...settle('no'), units: noAsAbstain }],
			message: '对应不上'
		},
		{ name: 'unreachable but counted as yes', settlements: [settle('yes', 'owner_unreachable')], message: '按弃权计' },
		{ name: 'the same case twice', settlements: [settle('yes'), settle('no')], message: '处理了两次' }
	])('refused: $name', ({ settlements, message }) => {
		expect(() => tally(split, settlements as PersonSettlement[])).toThrow(message);
	});

	it('a refused choice not cast: abstain 90 / yes 60 cannot be settled as no', () => {
		const choices: [string, Choice][] = [
			['b1', 'abstain'],
			['b2', 'yes']
		];
		const units: PersonSettlement['units'] = [
			{ unitId: 'b1', choice: 'abstain' },
			{ unitId: 'b2', choice: 'yes' }
		];
		const s: PersonSettlement = { compoundId: 'c', motionId: 'A', units, choice: 'no', basis: 'owner_stated' };
		expect(() => tally(choices, [s])).toThrow('只能按该业主某套房屋投的意见计');
		expect(tally(choices, [{ ...s, choice: 'yes' }]).yes.persons).toBe(1);
	});

	it('an export carries the settlements; the recount reproduces the figures and refuses an edited choice', () => {
		const ballots = split.map(([id, c]) => newBallot(id, c, paper));
		const input = ownersVote('ordinary', [newCompound('c', units)], ballots, { personSettlements: [settle('no')] });
		const details = { ballotId: 'b', title: 't', opensAt: '2025-06-01T08:00:00+08:00', closesAt: '2025-06-10T24:00:00+08:00' };
		const doc = buildExport({ ...details, exportedAt: '2025-06-11T00:00:00+08:00' }, input);
		const parsed = parseExport(JSON.parse(JSON.stringify(doc)));
		expect(parsed.ok).toBe(true);
		expect(verifyExport(doc)).toEqual([]);
		const edited = JSON.parse(JSON.stringify(doc));
		edited.personSettlements[0].choice = 'yes';
		expect(verifyExport(edited).map((d) => d.path)).toContain('result.motions[0](A).compounds[0](c).yes.persons');
		const unsettled = JSON.parse(JSON.stringify(doc));
		unsettled.personSettlements = [];
		const refused = parseExport(unsettled);
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.problems[0].zh).toContain('未经业委会处理');
	});

	it('the public summary names how each case was settled, no unit and no owner', () => {
		const summary = settlementSummary([settle('no'), { ...settle('abstain', 'owner_unreachable'), motionId: 'B' }]);
		expect(summary).toEqual({
			count: 2,
			settled: [
				{ compoundId: 'c', motionId: 'A', choice: 'no', basis: 'owner_stated' },
				{ compoundId: 'c', motionId: 'B', choice: 'abstain', basis: 'owner_unreachable' }
			]
		});
		expect(JSON.stringify(summary)).not.toMatch(/b1|b2|b3|owner-|areaHundredths/);
	});
});
