/**
 * Tally bench: 100,000 units/owners across 10 compounds, generated deterministically; the full
 * recount (tallyOwnersVote) timed as the median of several runs; the live accumulator
 * (createLiveTally) timed per ballot when it already holds ~10k and ~100k ballots, to show the
 * per-ballot cost does not grow with the count. The live result must equal the full recount.
 */
import { isDeepStrictEqual } from 'node:util';
import {
	createLiveTally,
	tallyOwnersVote,
	type CastBallot,
	type CompoundRoster,
	type OwnersVoteInput,
	type RosterUnit
} from '../../src/lib/domain/voting/index.ts';
import { table, type Section } from './report.ts';
import { fmt, median, ms, now, ratio } from './stats.ts';

const COMPOUNDS = 10;
const UNITS = 100_000;
const RECOUNT_RUNS = 9;
const SLICE = 5_000;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function generateVote(): OwnersVoteInput {
	const random = rng(20_260_278);
	const perCompound = UNITS / COMPOUNDS;
	const compounds: CompoundRoster[] = [];
	for (let c = 0; c < COMPOUNDS; c++) {
		const units: RosterUnit[] = [];
		let owner = 0;
		for (let u = 0; u < perCompound; u++) {
			// About one owner in twelve holds a second unit next door (one person, summed area).
			const sharesPrevious = u > 0 && random() < 1 / 12;
			if (!sharesPrevious) owner++;
			const building = 1 + Math.floor(u / 200);
			units.push({
				unitId: `c${c}-u${u}`,
				building: `${building}号楼`,
				room: `${1 + Math.floor((u % 200) / 4)}0${1 + (u % 4)}`,
				areaHundredths: 4_000 + Math.floor(random() * 12_000),
				areaSource: 'registered',
				status: random() < 0.01 ? 'developer_unsold' : 'owned',
				ownerKey: `c${c}-o${owner}`
			});
		}
		compounds.push({ compoundId: `c${c}`, name: `小区${c + 1}`, units });
	}
	const ballots: CastBallot[] = [];
	let seq = 0;
	const choice = () => {
		const r = random();
		return r < 0.62 ? 'yes' : r < 0.9 ? 'no' : 'abstain';
	};
	const castAt = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, 0, 0) + minute * 60_000).toISOString();
	for (const compound of compounds) {
		for (const unit of compound.units) {
			const r = random();
			if (r < 0.86) {
				ballots.push({
					compoundId: compound.compoundId,
					unitId: unit.unitId,
					motionId: 'A',
					choice: choice(),
					channel: 'electronic',
					viaProxy: random() < 0.03,
					voterKey: unit.ownerKey,
					castAt: castAt(seq % 10_000),
					seq: ++seq
				});
				// Some change their vote later (allowed: the later same-channel ballot counts).
				if (random() < 0.08)
					ballots.push({
						compoundId: compound.compoundId,
						unitId: unit.unitId,
						motionId: 'A',
						choice: choice(),
						channel: 'electronic',
						viaProxy: false,
						voterKey: unit.ownerKey,
						castAt: castAt(20_000 + (seq % 10_000)),
						seq: ++seq
					});
			}
			// Paper ballots, some from units that also voted electronically (electronic prevails).
			if (r > 0.8 && r < 0.95)
				ballots.push({
					compoundId: compound.compoundId,
					unitId: unit.unitId,
					motionId: 'A',
					choice: choice(),
					channel: 'paper',
					viaProxy: false,
					voterKey: unit.ownerKey,
					castAt: castAt(seq % 10_000),
					seq: ++seq
				});
		}
	}
	// Ballots arrive interleaved across compounds, not sorted.
	for (let i = ballots.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[ballots[i], ballots[j]] = [ballots[j], ballots[i]];
	}
	return {
		ruleKind: 'major',
		motions: [{ id: 'A', title: '是否开放侧门' }],
		compounds,
		ballots,
		bothChannelsRule: 'electronic_prevails'
	};
}

export async function runTally(log: (s: string) => void): Promise<Section> {
	const t0 = now();
	const input = generateVote();
	const generateMs = now() - t0;
	const owners = new Set(input.compounds.flatMap((c) => c.units.map((u) => u.ownerKey))).size;
	log(`  generated ${fmt(UNITS)} units, ${fmt(owners)} owners, ${fmt(input.ballots.length)} ballots (${ms(generateMs)})`);

	// Full recount: one warm-up, then the median of RECOUNT_RUNS.
	const full = tallyOwnersVote(input);
	const runs: number[] = [];
	for (let i = 0; i < RECOUNT_RUNS; i++) {
		const s = now();
		const again = tallyOwnersVote(input);
		runs.push(now() - s);
		if (i === 0 && !isDeepStrictEqual(again, full)) throw new Error('the full recount is not deterministic');
	}
	const recount = median(runs);
	log(`  full recount median ${ms(recount)}`);

	// Live accumulator: per-ballot cost of a slice taken at ~10k and at ~100k recorded ballots.
	const { ballots, ...setup } = input;
	const live = createLiveTally(setup);
	const sliceCost: Record<string, number> = {};
	const marks = [10_000, 100_000];
	let i = 0;
	const feed = (until: number) => {
		for (; i < until; i++) live.recordBallot(ballots[i]);
	};
	if (ballots.length < marks[1] + SLICE) throw new Error(`only ${ballots.length} ballots, need ${marks[1] + SLICE}`);
	for (const mark of marks) {
		feed(mark);
		// Ten consecutive slices, median per-ballot cost: one GC pause must not decide the figure.
		const costs: number[] = [];
		for (let k = 0; k < 10; k++) {
			const s = now();
			feed(mark + ((k + 1) * SLICE) / 10);
			costs.push((now() - s) / (SLICE / 10));
		}
		sliceCost[mark] = median(costs);
	}
	feed(ballots.length);
	const liveResult = live.result();
	if (!isDeepStrictEqual(liveResult, full)) throw new Error('the live tally differs from the full recount over the same ballots');
	const s = now();
	live.turnout();
	const resultMs = now() - s;
	const growth = sliceCost[100_000] / sliceCost[10_000];
	log(`  live: ${ms(sliceCost[10_000])}/ballot at 10k, ${ms(sliceCost[100_000])}/ballot at 100k`);

	const motion = full.motions[0];
	const summary: Section['summary'] = [
		['full recount, 100,000 units / 10 compounds', ms(recount), recount < 100 ? 'target < 100 ms ✔' : 'target < 100 ms ✘'],
		[
			'live tally, cost per ballot at 10k → 100k ballots',
			`${ms(sliceCost[10_000])} → ${ms(sliceCost[100_000])}`,
			`${ratio(sliceCost[100_000], sliceCost[10_000])} (O(1): stays ~1× while the count grows 10×)`
		]
	];
	const body = [
		`Input generated deterministically (seeded PRNG): ${fmt(UNITS)} units in ${COMPOUNDS} compounds of ${fmt(UNITS / COMPOUNDS)}, ` +
			`${fmt(owners)} owners (about one in twelve holds two units; 1% developer-held), one ` +
			`motion under the major-matters rule (art. 278 items 6–8), ` +
			`${fmt(input.ballots.length)} ballots shuffled across compounds: 86% of units vote ` +
			`electronically, 8% of those change their vote, 15% vote on paper (electronic prevails). ` +
			`Generation took ${ms(generateMs)}.`,
		table(
			['measure', 'value'],
			[
				['full recount (tallyOwnersVote), median of ' + RECOUNT_RUNS, ms(recount)],
				['full recount, min / max', `${ms(Math.min(...runs))} / ${ms(Math.max(...runs))}`],
				[`live recordBallot per ballot, median of 10 slices of ${fmt(SLICE / 10)} after 10,000`, ms(sliceCost[10_000])],
				[`live recordBallot per ballot, median of 10 slices of ${fmt(SLICE / 10)} after 100,000`, ms(sliceCost[100_000])],
				['growth of per-ballot cost for 10× the ballots', `${fmt(growth, 2)}×`],
				['live turnout() over all ballots', ms(resultMs)],
				['live result() equals the full recount', 'yes (deep equality checked)']
			]
		),
		`Outcome of the generated vote: ${motion.joint.outcomeLabel}; per compound: ` +
			`${motion.compounds.map((c) => c.outcomeLabel).join('、')}.`
	];
	return { id: 'tally', title: '2. Tally', body: body.join('\n\n'), summary };
}
