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
import type { PreparedBallot, PreparedVote } from './prepare.ts';
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

/** counts[compoundIndex][motionIndex]. */
export function countVotes(vote: PreparedVote, ballots: readonly PreparedBallot[]): RawCounts[][] {
	const motionCount = vote.motions.length;
	// Latest ballot per (unit, motion) per channel, as an index into `ballots` (-1: none).
	const latestElectronic = vote.compounds.map((c) => new Int32Array(c.units.length * motionCount).fill(-1));
	const latestPaper = vote.compounds.map((c) => new Int32Array(c.units.length * motionCount).fill(-1));
	const cast = vote.compounds.map(() => new Array<number>(motionCount).fill(0));

	// What the unit loop needs of each ballot, packed in typed arrays (prepareBallot copied seq and
	// the choice/channel/proxy bits while the ballot was at hand): the "latest" comparison and the
	// counting never chase a ballot object again (100,000 ballots in a shuffled order make every
	// such chase a cache miss). supersedes() decides as before:
	// greater castAt, ties broken by greater seq.
	const n = ballots.length;
	const castAtMs = new Float64Array(n);
	const seqs = new Float64Array(n);
	/** choice (0 yes, 1 no, 2 abstain) | 4 electronic | 8 via proxy */
	const facts = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		const prepared = ballots[i];
		const fact = prepared.facts;
		const electronic = (fact & 4) !== 0;
		const ms = prepared.castAtMs;
		const seq = prepared.seq;
		castAtMs[i] = ms;
		seqs[i] = seq;
		facts[i] = fact;
		const slot = prepared.unitIndex * motionCount + prepared.motionIndex;
		const latest = (electronic ? latestElectronic : latestPaper)[prepared.compoundIndex];
		const current = latest[slot];
		if (current < 0 || ms > castAtMs[current] || (ms === castAtMs[current] && seq > seqs[current])) latest[slot] = i;
		cast[prepared.compoundIndex][prepared.motionIndex]++;
	}

	return vote.compounds.map((compound, c) => {
		const perMotion: RawCounts[] = [];
		for (let m = 0; m < motionCount; m++) {
			const personYes = new Float64Array(compound.personCount);
			const personNo = new Float64Array(compound.personCount);
			const personAbstain = new Float64Array(compound.personCount);
			const counts: RawCounts = {
				total: { areaHundredths: compound.totalAreaHundredths, persons: compound.personCount },
				yes: { areaHundredths: 0, persons: 0 },
				no: { areaHundredths: 0, persons: 0 },
				abstain: { areaHundredths: 0, persons: 0 },
				consentingPersons: 0,
				ballots: emptyBallotCounts()
			};
			counts.ballots.cast = cast[c][m];
			// Plain indexed loops and local typed arrays: this visits every unit of every compound
			// (100,000 in the bench's recount), so closures and repeated property chains add up.
			const electronicSlots = latestElectronic[c];
			const paperSlots = latestPaper[c];
			const units = compound.units;
			const personOfUnit = compound.personOfUnit;
			const electronicPrevails = vote.bothChannelsRule === 'electronic_prevails';
			const tally = counts.ballots;
			let yesArea = 0;
			let noArea = 0;
			let abstainArea = 0;
			let counted = 0;
			let electronicCount = 0;
			let paperCount = 0;
			let viaProxy = 0;
			for (let u = 0; u < units.length; u++) {
				const slot = u * motionCount + m;
				const electronic = electronicSlots[slot];
				const paper = paperSlots[slot];
				// pickAcrossChannels, inlined: both → the rule decides; otherwise the one there is.
				const chosen = electronic >= 0 && paper >= 0 ? (electronicPrevails ? electronic : paper) : electronic >= 0 ? electronic : paper;
				if (chosen < 0) continue;
				const fact = facts[chosen];
				const choice = fact & 3;
				const person = personOfUnit[u];
				const area = units[u].areaHundredths;
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
			counts.yes.areaHundredths = yesArea;
			counts.no.areaHundredths = noArea;
			counts.abstain.areaHundredths = abstainArea;
			tally.counted = counted;
			tally.electronic = electronicCount;
			tally.paper = paperCount;
			tally.viaProxy = viaProxy;
			for (let p = 0; p < compound.personCount; p++) {
				const choice = personChoice(personYes[p], personNo[p], personAbstain[p]);
				if (choice !== null) counts[choice].persons++;
				if (personConsents(personYes[p], personNo[p], personAbstain[p])) counts.consentingPersons++;
			}
			counts.ballots.superseded = counts.ballots.cast - counts.ballots.counted;
			perMotion.push(counts);
		}
		return perMotion;
	});
}
