/**
 * fast-check generators of whole owners' votes: a few compounds with small rosters (so that
 * shared owner keys, developer units, repeated and both-channel ballots are frequent), any rule
 * kind and options, and ballots in any order with unique seq.
 */
import fc from 'fast-check';
import type { CastBallot, CompoundRoster, OwnersVoteInput, RosterUnit } from '../../../src/lib/domain/voting/index.ts';

const unitArb = fc.record({
	areaHundredths: fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(5000, 10000)),
	areaSource: fc.constantFrom('registered' as const, 'surveyed' as const, 'contract' as const),
	status: fc.constantFrom('owned' as const, 'owned' as const, 'owned' as const, 'developer_unsold' as const, 'sold_undelivered' as const),
	// A small pool of keys so multi-unit owners happen often.
	owner: fc.integer({ min: 0, max: 6 })
});

const compoundArb = (index: number) =>
	fc
		.record({
			units: fc.array(unitArb, { minLength: 1, maxLength: 12 }),
			nonVoterRule: fc.constantFrom('off' as const, 'follow_majority' as const)
		})
		.map(({ units, nonVoterRule }): CompoundRoster => ({
			compoundId: `c${index}`,
			name: `小区${index}`,
			nonVoterRule,
			units: units.map((u, i): RosterUnit => ({
				unitId: `u${i}`,
				building: '1号楼',
				room: String(101 + i),
				areaHundredths: u.areaHundredths,
				areaSource: u.areaSource,
				status: u.status,
				ownerKey: u.status === 'owned' ? `k${u.owner}` : `dev${u.owner}`
			}))
		}));

const rawBallotArb = fc.record({
	compound: fc.nat(),
	unit: fc.nat(),
	motion: fc.nat(),
	choice: fc.constantFrom('yes' as const, 'no' as const, 'abstain' as const),
	channel: fc.constantFrom('electronic' as const, 'electronic' as const, 'paper' as const),
	viaProxy: fc.boolean(),
	// Few distinct instants, so equal castAt (seq decides) is common.
	minute: fc.integer({ min: 0, max: 4 })
});

export const voteArb: fc.Arbitrary<OwnersVoteInput> = fc
	.record({
		ruleKind: fc.constantFrom('ordinary' as const, 'major' as const, 'unanimous_affected' as const, 'advisory' as const),
		bothChannelsRule: fc.constantFrom('electronic_prevails' as const, 'paper_prevails' as const),
		motionCount: fc.integer({ min: 1, max: 2 }),
		compounds: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => compoundArb(i)))),
		ballots: fc.array(rawBallotArb, { maxLength: 60 }),
		seqs: fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 60, maxLength: 60 })
	})
	.map(({ ruleKind, bothChannelsRule, motionCount, compounds, ballots, seqs }) => ({
		ruleKind,
		bothChannelsRule,
		motions: Array.from({ length: motionCount }, (_, m) => ({ id: `M${m}`, title: `事项${m}` })),
		compounds,
		ballots: ballots.map((b, i): CastBallot => {
			const compound = compounds[b.compound % compounds.length];
			const unit = compound.units[b.unit % compound.units.length];
			return {
				compoundId: compound.compoundId,
				unitId: unit.unitId,
				motionId: `M${b.motion % motionCount}`,
				choice: b.choice,
				channel: b.channel,
				viaProxy: b.viaProxy,
				voterKey: `voter-${unit.ownerKey}`,
				castAt: `2025-06-02T10:0${b.minute}:00+08:00`,
				seq: seqs[i]
			};
		})
	}));

/** Fisher–Yates with a fast-check-provided seed sequence. */
export function shuffled<T>(items: readonly T[], randoms: readonly number[]): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = randoms[i % randoms.length] % (i + 1);
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}
