/**
 * Test factories for the tally engine: small, readable builders so each test states only what
 * matters to it. Areas are integer hundredths of ㎡ (10000 = 100.00㎡).
 */
import type {
	CastBallot,
	Choice,
	CompoundRoster,
	Motion,
	NonVoterRule,
	OwnersRuleKind,
	OwnersVoteInput,
	RosterUnit,
	UnitStatus
} from '../../../src/lib/domain/voting/index.ts';

export const STANDARD_AREA = 10000;

export function newUnit(unitId: string, overrides: Partial<RosterUnit> = {}): RosterUnit {
	return {
		unitId,
		building: '1号楼',
		room: unitId,
		areaHundredths: STANDARD_AREA,
		areaSource: 'registered',
		status: 'owned' as UnitStatus,
		ownerKey: `owner-${unitId}`,
		...overrides
	};
}

/** n single-owner units u1…un of equal area. */
export function equalUnits(n: number, areaHundredths = STANDARD_AREA): RosterUnit[] {
	return Array.from({ length: n }, (_, i) => newUnit(`u${i + 1}`, { areaHundredths }));
}

export function newCompound(
	compoundId: string,
	units: RosterUnit[],
	options: { name?: string; nonVoterRule?: NonVoterRule } = {}
): CompoundRoster {
	return { compoundId, name: options.name ?? compoundId, nonVoterRule: options.nonVoterRule, units };
}

let nextSeq = 1;

export function newBallot(unitId: string, choice: Choice, overrides: Partial<CastBallot> = {}): CastBallot {
	const seq = overrides.seq ?? nextSeq++;
	return {
		unitId,
		motionId: 'A',
		choice,
		channel: 'electronic',
		viaProxy: false,
		voterKey: `voter-${unitId}`,
		castAt: '2025-06-02T10:00:00+08:00',
		seq,
		...overrides
	};
}

/**
 * Ballots for units u1… in order: `yes` yes votes, then `no`, then `abstain`; the remaining
 * units do not vote.
 */
export function votes(counts: { yes?: number; no?: number; abstain?: number }, extra: Partial<CastBallot> = {}): CastBallot[] {
	const choices: Choice[] = [
		...Array<Choice>(counts.yes ?? 0).fill('yes'),
		...Array<Choice>(counts.no ?? 0).fill('no'),
		...Array<Choice>(counts.abstain ?? 0).fill('abstain')
	];
	return choices.map((choice, i) => newBallot(`u${i + 1}`, choice, extra));
}

export const MOTION_A: Motion = { id: 'A', title: '方案A：侧门全天开放' };

export function ownersVote(
	ruleKind: OwnersRuleKind,
	compounds: CompoundRoster[],
	ballots: CastBallot[],
	extra: Partial<OwnersVoteInput> = {}
): OwnersVoteInput {
	return { ruleKind, motions: [MOTION_A], compounds, ballots, ...extra };
}
