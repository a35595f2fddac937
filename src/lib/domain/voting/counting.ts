/**
 * Batch counting: from a prepared vote and its ballots to raw figures per compound and motion.
 * No thresholds here (see decide.ts). Linear: O(ballots + motions × (units + persons)).
 *
 * Invariants of the output, per compound and motion:
 * - yes + no + abstain ≤ total, in area and in persons;
 * - a unit's area is in at most one of yes / no / abstain (one vote per unit);
 * - a person is in at most one of yes / no / abstain (see personChoice).
 */
import { personChoice, personConsents } from './persons.ts';
import type { PreparedBallots, PreparedCompound, PreparedVote } from './prepare.ts';
import type { BallotCounts, Figures } from './types.ts';

export interface RawCounts {
	total: Figures;
	yes: Figures;
	no: Figures;
	abstain: Figures;
	/** Persons whose voted units all said yes (art. 279 consent). */
	consentingPersons: number;
	ballots: BallotCounts;
}

export function emptyBallotCounts(): BallotCounts {
	return { cast: 0, counted: 0, superseded: 0, electronic: 0, paper: 0, viaProxy: 0 };
}

/** One compound's latest ballots: per (unit, motion) slot u × motionCount + m, a row of the prepared ballots (-1: none). */
export interface LatestBallots {
	electronic: Int32Array;
	paper: Int32Array;
	/** Ballots cast per motion, superseded ones included. */
	cast: number[];
}

/**
 * counts[compoundIndex][motionIndex]. `settled[c][m]`, when given, maps a person whose units voted
 * differently to the choice the 业委会 settled (0 yes, 1 no, 2 abstain; see mixed-choices.ts).
 */
export function countVotes(vote: PreparedVote, ballots: PreparedBallots, settled?: SettledPersons): RawCounts[][] {
	const latest = findLatestBallots(vote, ballots);
	const electronicPrevails = vote.bothChannelsRule === 'electronic_prevails';
	return vote.compounds.map((compound, c) =>
		vote.motions.map((_, m) =>
			countMotion(compound, latest[c], ballots.facts, m, vote.motions.length, electronicPrevails, settled?.[c][m])
		)
	);
}

/** Per compound and motion: person index → settled choice (0 yes, 1 no, 2 abstain). */
export type SettledPersons = Map<number, number>[][];

const CHOICE_OF_CODE = ['yes', 'no', 'abstain'] as const;

/**
 * Within each channel, the latest ballot per unit and motion: supersedes(), i.e. greater castAt,
 * ties broken by greater seq. Plain indexed loops over the prepared columns: never a ballot object.
 */
export function findLatestBallots(vote: PreparedVote, ballots: PreparedBallots): LatestBallots[] {
	const motionCount = vote.motions.length;
	const latest: LatestBallots[] = vote.compounds.map((compound) => ({
		electronic: new Int32Array(compound.units.length * motionCount).fill(-1),
		paper: new Int32Array(compound.units.length * motionCount).fill(-1),
		cast: new Array<number>(motionCount).fill(0)
	}));
	const { castAtMs, seq: seqs, facts } = ballots;
	for (let i = 0; i < ballots.count; i++) {
		const ofCompound = latest[ballots.compoundIndex[i]];
		const m = ballots.motionIndex[i];
		const slot = ballots.unitIndex[i] * motionCount + m;
		const sameChannel = (facts[i] & 4) !== 0 ? ofCompound.electronic : ofCompound.paper;
		const current = sameChannel[slot];
		const ms = castAtMs[i];
		if (current < 0 || ms > castAtMs[current] || (ms === castAtMs[current] && seqs[i] > seqs[current])) sameChannel[slot] = i;
		ofCompound.cast[m]++;
	}
	return latest;
}

/**
 * One compound's figures on motion m. Plain indexed loops over typed arrays: this visits every
 * unit of every compound (100,000 in the bench's recount), so closures and property chains add up.
 */
function countMotion(
	compound: PreparedCompound,
	latest: LatestBallots,
	/** The prepared ballots' facts column: choice | 4 electronic | 8 via proxy. */
	facts: Uint8Array,
	m: number,
	motionCount: number,
	electronicPrevails: boolean,
	settled: Map<number, number> | undefined
): RawCounts {
	const personYes = new Float64Array(compound.personCount);
	const personNo = new Float64Array(compound.personCount);
	const personAbstain = new Float64Array(compound.personCount);
	const { areaOfUnit, personOfUnit } = compound;
	let yesArea = 0;
	let noArea = 0;
	let abstainArea = 0;
	let counted = 0;
	let electronicCount = 0;
	let paperCount = 0;
	let viaProxy = 0;
	for (let u = 0; u < areaOfUnit.length; u++) {
		const slot = u * motionCount + m;
		const electronic = latest.electronic[slot];
		const paper = latest.paper[slot];
		// pickAcrossChannels, inlined: both → the rule decides; otherwise the one there is.
		const chosen = electronic >= 0 && paper >= 0 ? (electronicPrevails ? electronic : paper) : electronic >= 0 ? electronic : paper;
		if (chosen < 0) continue;
		const fact = facts[chosen];
		const choice = fact & 3;
		const person = personOfUnit[u];
		const area = areaOfUnit[u];
		if (choice === 0) {
			yesArea += area;
			personYes[person] += area;
		} else if (choice === 1) {
			noArea += area;
			personNo[person] += area;
		} else {
			abstainArea += area;
			personAbstain[person] += area;
		}
		counted++;
		if (fact & 4) electronicCount++;
		else paperCount++;
		if (fact & 8) viaProxy++;
	}
	const counts: RawCounts = {
		total: { areaHundredths: compound.totalAreaHundredths, persons: compound.personCount },
		yes: { areaHundredths: yesArea, persons: 0 },
		no: { areaHundredths: noArea, persons: 0 },
		abstain: { areaHundredths: abstainArea, persons: 0 },
		consentingPersons: 0,
		ballots: { ...emptyBallotCounts(), cast: latest.cast[m], counted, electronic: electronicCount, paper: paperCount, viaProxy }
	};
	for (let p = 0; p < compound.personCount; p++) {
		const override = settled?.get(p);
		const choice = override !== undefined ? CHOICE_OF_CODE[override] : personChoice(personYes[p], personNo[p], personAbstain[p]);
		if (choice !== null) counts[choice].persons++;
		if (personConsents(personYes[p], personNo[p], personAbstain[p])) counts.consentingPersons++;
	}
	counts.ballots.superseded = counts.ballots.cast - counts.ballots.counted;
	return counts;
}
