/**
 * Live tally: an accumulator that takes ballots one at a time, in any order, each in O(1), and
 * whose result() equals tallyOwnersVote() on the same ballots (property-tested). Used for live
 * turnout while a vote is open; turnout() never exposes yes/no, so it is safe for secret ballots.
 */
import { emptyBallotCounts, type RawCounts } from './counting.ts';
import { decideOwnersCompound, participationChecks } from './decide.ts';
import { personChoice, personConsents } from './persons.ts';
import { pickAcrossChannels, supersedes } from './precedence.ts';
import { newPreparedBallots, prepareBallot, prepareRosters, problem, TallyInputError, type PreparedBallot } from './prepare.ts';
import { assembleResult } from './result.ts';
import type {
	CastBallot,
	Choice,
	CompoundTally,
	Figures,
	InputProblem,
	OwnersVoteInput,
	RuleKind,
	TallyResult,
	ThresholdCheck
} from './types.ts';

/** Participation only: what may be shown while a (possibly secret) vote is open. */
export interface TurnoutView {
	ruleKind: RuleKind;
	motions: {
		motionId: string;
		title: string;
		compounds: CompoundTurnout[];
	}[];
}

/** One compound's participation in one motion. */
export interface CompoundTurnout {
	compoundId: string;
	compoundName: string;
	total: Figures;
	participating: Figures;
	nonVoting: Figures;
	/** Participation: voted area ≥ 2/3 of total area, voters ≥ 2/3 of owners. */
	thresholds: ThresholdCheck[];
}

export interface LiveTally {
	/** Adds a ballot; a later ballot for the same unit, motion and channel replaces the earlier one. Throws TallyInputError. */
	recordBallot(ballot: CastBallot): void;
	turnout(): TurnoutView;
	/** The full result, identical to tallyOwnersVote() over every ballot recorded so far. */
	result(): TallyResult;
}

/** Per compound and motion: running sums, plus per-person areas to keep person counts exact. */
interface Cell {
	yesArea: number;
	noArea: number;
	abstainArea: number;
	persons: Record<Choice, number>;
	consentingPersons: number;
	ballots: ReturnType<typeof emptyBallotCounts>;
	/** Latest ballot per unit and channel, and the one that counts. */
	electronic: (PreparedBallot | undefined)[];
	paper: (PreparedBallot | undefined)[];
	counted: (PreparedBallot | undefined)[];
	/** Per person: area voted yes / no / abstain. */
	personYes: Float64Array;
	personNo: Float64Array;
	personAbstain: Float64Array;
}

export function createLiveTally(setup: Omit<OwnersVoteInput, 'ballots'>): LiveTally {
	const problems: InputProblem[] = [];
	const vote = prepareRosters(setup, problems);
	if (problems.length > 0) throw new TallyInputError(problems);
	const seenSeq = new Set<number>();
	/** Room for the ballot being recorded, reused: recordBallot allocates no arrays. */
	const scratch = newPreparedBallots(1);
	const cells: Cell[][] = vote.compounds.map((compound) =>
		vote.motions.map(() => ({
			yesArea: 0,
			noArea: 0,
			abstainArea: 0,
			persons: { yes: 0, no: 0, abstain: 0 },
			consentingPersons: 0,
			ballots: emptyBallotCounts(),
			electronic: new Array(compound.units.length),
			paper: new Array(compound.units.length),
			counted: new Array(compound.units.length),
			personYes: new Float64Array(compound.personCount),
			personNo: new Float64Array(compound.personCount),
			personAbstain: new Float64Array(compound.personCount)
		}))
	);

	/** Adds (sign +1) or removes (sign −1) a counted ballot's effect on its cell. */
	function apply(cell: Cell, prepared: PreparedBallot, sign: 1 | -1): void {
		const compound = vote.compounds[prepared.compoundIndex];
		const area = compound.areaOfUnit[prepared.unitIndex] * sign;
		const person = compound.personOfUnit[prepared.unitIndex];
		const before = personChoice(cell.personYes[person], cell.personNo[person], cell.personAbstain[person]);
		const consentedBefore = personConsents(cell.personYes[person], cell.personNo[person], cell.personAbstain[person]);
		const { choice, channel, viaProxy } = prepared.ballot;
		if (choice === 'yes') {
			cell.yesArea += area;
			cell.personYes[person] += area;
		} else if (choice === 'no') {
			cell.noArea += area;
			cell.personNo[person] += area;
		} else {
			cell.abstainArea += area;
			cell.personAbstain[person] += area;
		}
		const after = personChoice(cell.personYes[person], cell.personNo[person], cell.personAbstain[person]);
		const consentedAfter = personConsents(cell.personYes[person], cell.personNo[person], cell.personAbstain[person]);
		if (before !== null) cell.persons[before]--;
		if (after !== null) cell.persons[after]++;
		cell.consentingPersons += Number(consentedAfter) - Number(consentedBefore);
		cell.ballots.counted += sign;
		cell.ballots[channel] += sign;
		if (viaProxy) cell.ballots.viaProxy += sign;
	}

	function recordBallot(ballot: CastBallot): void {
		const found: InputProblem[] = [];
		const prepared = prepareBallot(vote, ballot, found, scratch);
		if (seenSeq.has(ballot?.seq))
			found.push(problem('ballot.seq', `选票序号 ${ballot.seq} 重复`, `duplicate ballot seq ${ballot.seq}`));
		if (found.length > 0 || prepared === null) throw new TallyInputError(found);
		seenSeq.add(ballot.seq);

		const cell = cells[prepared.compoundIndex][prepared.motionIndex];
		const u = prepared.unitIndex;
		cell.ballots.cast++;
		const sameChannel = ballot.channel === 'electronic' ? cell.electronic : cell.paper;
		const latest = sameChannel[u];
		if (latest !== undefined && !supersedes(ballot, prepared.castAtMs, latest.ballot, latest.castAtMs)) return;
		sameChannel[u] = prepared;

		const previous = cell.counted[u];
		const next = pickAcrossChannels(cell.electronic[u] ?? null, cell.paper[u] ?? null, vote.bothChannelsRule) ?? undefined;
		if (next === previous) return;
		if (previous !== undefined) apply(cell, previous, -1);
		if (next !== undefined) apply(cell, next, 1);
		cell.counted[u] = next;
	}

	function rawCounts(c: number, m: number): RawCounts {
		const cell = cells[c][m];
		const compound = vote.compounds[c];
		return {
			total: { areaHundredths: compound.totalAreaHundredths, persons: compound.personCount },
			yes: { areaHundredths: cell.yesArea, persons: cell.persons.yes },
			no: { areaHundredths: cell.noArea, persons: cell.persons.no },
			abstain: { areaHundredths: cell.abstainArea, persons: cell.persons.abstain },
			consentingPersons: cell.consentingPersons,
			ballots: { ...cell.ballots, superseded: cell.ballots.cast - cell.ballots.counted }
		};
	}

	function result(): TallyResult {
		const perMotion: CompoundTally[][] = vote.motions.map((_, m) =>
			vote.compounds.map((compound, c) => decideOwnersCompound(vote.ruleKind, compound, rawCounts(c, m)))
		);
		return assembleResult(vote.ruleKind, vote.bothChannelsRule, vote.motions, perMotion);
	}

	function turnout(): TurnoutView {
		return {
			ruleKind: vote.ruleKind,
			motions: vote.motions.map((motion, m) => ({
				motionId: motion.id,
				title: motion.title,
				compounds: vote.compounds.map((compound, c) => {
					const raw = rawCounts(c, m);
					const participating: Figures = {
						areaHundredths: raw.yes.areaHundredths + raw.no.areaHundredths + raw.abstain.areaHundredths,
						persons: raw.yes.persons + raw.no.persons + raw.abstain.persons
					};
					return {
						compoundId: compound.compoundId,
						compoundName: compound.name,
						total: raw.total,
						participating,
						nonVoting: {
							areaHundredths: raw.total.areaHundredths - participating.areaHundredths,
							persons: raw.total.persons - participating.persons
						},
						thresholds: participationChecks(participating, raw.total)
					};
				})
			}))
		};
	}

	return { recordBallot, turnout, result };
}
