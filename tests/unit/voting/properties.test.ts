import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	buildExport,
	createLiveTally,
	parseExport,
	tallyOwnersVote,
	verifyExport,
	type Figures,
	type OwnersCompoundTally,
	type OwnersVoteInput,
	type TallyResult
} from '../../../src/lib/domain/voting/index.ts';
import { shuffled, voteArb } from './arbitraries.ts';
import { referenceTally } from './reference.ts';

const RUNS = { numRuns: 300 };

function ownersCompounds(result: TallyResult): OwnersCompoundTally[] {
	return result.motions.flatMap((m) => m.compounds as OwnersCompoundTally[]);
}

function sum(...figures: Figures[]): Figures {
	return figures.reduce((a, b) => ({ areaHundredths: a.areaHundredths + b.areaHundredths, persons: a.persons + b.persons }), {
		areaHundredths: 0,
		persons: 0
	});
}

describe('tally properties (fast-check)', () => {
	it('the order of ballots never matters', () => {
		fc.assert(
			fc.property(voteArb, fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (input, randoms) => {
				const reordered = { ...input, ballots: shuffled(input.ballots, randoms) };
				expect(tallyOwnersVote(reordered)).toEqual(tallyOwnersVote(input));
			}),
			RUNS
		);
	});

	it('visiting ballots in seq order (dense seqs) counts exactly as in input order (sparse seqs)', () => {
		fc.assert(
			fc.property(voteArb, fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (input, randoms) => {
				// Only the order of seqs matters to the count: renumber them 1…n (dense: the engine
				// visits ballots by seq) or spread them out (sparse: it visits in input order).
				const rank = new Map([...input.ballots].sort((a, b) => a.seq - b.seq).map((b, i) => [b, i + 1]));
				const withSeqs = (seqOf: (rank: number) => number) => ({
					...input,
					ballots: shuffled(input.ballots, randoms).map((b) => ({ ...b, seq: seqOf(rank.get(b)!) }))
				});
				const dense = tallyOwnersVote(withSeqs((r) => r));
				expect(dense).toEqual(tallyOwnersVote(withSeqs((r) => r * 1_000)));
				expect(dense).toEqual(tallyOwnersVote(input));
			}),
			RUNS
		);
	});

	it('turning one “no” into “yes” never turns a pass into a fail (per compound and jointly)', () => {
		fc.assert(
			fc.property(voteArb, fc.nat(), (input, pick) => {
				const noIndexes = input.ballots.flatMap((b, i) => (b.choice === 'no' ? [i] : []));
				fc.pre(noIndexes.length > 0);
				const flipped = noIndexes[pick % noIndexes.length];
				const after: OwnersVoteInput = {
					...input,
					ballots: input.ballots.map((b, i) => (i === flipped ? { ...b, choice: 'yes' } : b))
				};
				const before = tallyOwnersVote(input);
				const then = tallyOwnersVote(after);
				before.motions.forEach((motion, m) => {
					if (motion.joint.passed) expect(then.motions[m].joint.passed).toBe(true);
					motion.compounds.forEach((compound, c) => {
						if (compound.passed) expect(then.motions[m].compounds[c].passed).toBe(true);
					});
				});
			}),
			RUNS
		);
	});

	it('per-compound totals add up, and pooled figures are the sum of the compounds', () => {
		fc.assert(
			fc.property(voteArb, (input) => {
				const result = tallyOwnersVote(input);
				for (const motion of result.motions) {
					const compounds = motion.compounds as OwnersCompoundTally[];
					for (const c of compounds) {
						expect(sum(c.yes, c.no, c.abstain)).toEqual(c.participating);
						expect(sum(c.participating, c.nonVoting)).toEqual(c.total);
						expect(c.nonVoting.areaHundredths).toBeGreaterThanOrEqual(0);
						expect(c.nonVoting.persons).toBeGreaterThanOrEqual(0);
						expect(c.ballots.counted + c.ballots.superseded).toBe(c.ballots.cast);
						expect(c.ballots.electronic + c.ballots.paper).toBe(c.ballots.counted);
					}
					const cast = input.ballots.filter((b) => b.motionId === motion.motionId).length;
					expect(compounds.reduce((n, c) => n + c.ballots.cast, 0)).toBe(cast);
					if (motion.pooled) {
						expect(motion.pooled.total).toEqual(sum(...compounds.map((c) => c.total)));
						expect(motion.pooled.yes).toEqual(sum(...compounds.map((c) => c.yes)));
						expect(motion.pooled.participating).toEqual(sum(...compounds.map((c) => c.participating)));
					}
					expect(motion.joint.passed).toBe(result.ruleKind !== 'advisory' && compounds.every((c) => c.passed));
				}
			}),
			RUNS
		);
	});

	it('agrees with a naive reference implementation of DOMAIN.md §3', () => {
		fc.assert(
			fc.property(voteArb, (input) => {
				const result = tallyOwnersVote(input);
				for (const motion of result.motions) {
					const expected = referenceTally(input, motion.motionId);
					(motion.compounds as OwnersCompoundTally[]).forEach((c, i) => {
						const ref = expected[i];
						expect(c.total).toEqual({ areaHundredths: ref.totalArea, persons: ref.totalPersons });
						for (const choice of ['yes', 'no', 'abstain'] as const) {
							expect(c[choice]).toEqual({ areaHundredths: ref.area[choice], persons: ref.persons[choice] });
						}
						if (ref.passedWithoutNonVoterRule !== null && !c.nonVoterRuleApplied) {
							expect(c.passed).toBe(ref.passedWithoutNonVoterRule);
						}
						if (result.ruleKind === 'unanimous_affected') {
							expect(c.passed).toBe(ref.totalPersons > 0 && ref.consentingPersons === ref.totalPersons);
						}
					});
				}
			}),
			RUNS
		);
	});

	it('the non-voter rule, when applied, only ever adds non-voters to the side that leads in area and persons', () => {
		fc.assert(
			fc.property(voteArb, (input) => {
				for (const c of ownersCompounds(tallyOwnersVote(input))) {
					if (!c.nonVoterRuleApplied) {
						expect(c.decisive).toEqual({ participating: c.participating, yes: c.yes });
						continue;
					}
					expect(c.nonVoterRule).toBe('follow_majority');
					expect(c.decisive.participating).toEqual(c.total);
					const side = c.nonVoterAddedTo!;
					const other = side === 'yes' ? 'no' : 'yes';
					expect(c[side].areaHundredths).toBeGreaterThan(c[other].areaHundredths);
					expect(c[side].persons).toBeGreaterThan(c[other].persons);
					expect(c.decisive.yes).toEqual(side === 'yes' ? sum(c.yes, c.nonVoting) : c.yes);
				}
			}),
			RUNS
		);
	});

	it('the live accumulator, fed ballots one at a time in any order, equals the full recount', () => {
		fc.assert(
			fc.property(voteArb, fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (input, randoms) => {
				const live = createLiveTally(input);
				for (const ballot of shuffled(input.ballots, randoms)) live.recordBallot(ballot);
				const full = tallyOwnersVote(input);
				expect(live.result()).toEqual(full);
				// Turnout shows participation and nothing of yes/no.
				const turnout = live.turnout();
				turnout.motions.forEach((motion, m) =>
					motion.compounds.forEach((c, i) => {
						const fullCompound = full.motions[m].compounds[i] as OwnersCompoundTally;
						expect(c.participating).toEqual(fullCompound.participating);
						expect(c.thresholds.map((t) => t.id)).toEqual(['participation_area', 'participation_persons']);
						expect(Object.keys(c)).not.toContain('yes');
					})
				);
			}),
			RUNS
		);
	});

	it('an export round-trips through JSON and verifies; changing a counted ballot is detected', () => {
		fc.assert(
			fc.property(voteArb, fc.nat(), (input, pick) => {
				const details = {
					ballotId: 'v1',
					title: 't',
					opensAt: '2025-06-01T00:00:00+08:00',
					closesAt: '2025-06-10T00:00:00+08:00',
					exportedAt: '2025-06-10T00:00:01+08:00'
				};
				const doc = buildExport(details, input);
				const parsed = parseExport(JSON.stringify(doc));
				expect(parsed.ok).toBe(true);
				if (!parsed.ok) return;
				expect(verifyExport(parsed.doc)).toEqual([]);

				// Flip a ballot that counts: the latest of its unit and channel, in a unit voting only that way.
				const counted = input.ballots.filter(
					(b) =>
						!input.ballots.some(
							(o) => o !== b && o.compoundId === b.compoundId && o.unitId === b.unitId && o.motionId === b.motionId
						)
				);
				fc.pre(counted.length > 0);
				const target = counted[pick % counted.length];
				const tampered = structuredClone(parsed.doc);
				const at = input.ballots.indexOf(target);
				tampered.ballots[at].choice = target.choice === 'yes' ? 'no' : 'yes';
				expect(verifyExport(tampered).length).toBeGreaterThan(0);
			}),
			{ numRuns: 150 }
		);
	});
});
