/**
 * 多套房屋投票不一致: one person (SPC interpretation art. 9 — a buyer's delivered units, or all the
 * developer's units) whose counted units chose differently on one motion, e.g. two paper ballots.
 * In area nothing is ambiguous: each unit's area goes to the choice that unit cast. In persons the
 * person is one, and which choice they count with is not for the engine to guess: each such case is
 * listed for the 业委会 before the close (like a double-entry mismatch) and settled by two of its
 * members — the owner states their one choice, or, not reached, counts as abstaining.
 *
 * Rules (pure; the server lists, the close refuses while any case is open, the recount checks):
 * - a case exists for ordinary, major and advisory votes; under art. 279 (unanimous_affected)
 *   mixed units simply do not consent, so nothing needs settling there;
 * - a settlement names the case exactly (every counted unit of the person on that motion with its
 *   choice); if any choice changes afterwards it no longer matches and the case is open again;
 * - the settled choice is one the person's units cast, or abstain; owner_unreachable means abstain;
 * - an export with `personSettlements` must settle every case; one without it (made before
 *   settlements existed) counts such a person by the largest-area rule (persons.ts).
 */
import { findLatestBallots, type SettledPersons } from './counting.ts';
import { problem, type PreparedBallots, type PreparedVote } from './prepare.ts';
import type { Channel, Choice, InputProblem, PersonSettlement, SettlementBasis } from './types.ts';

export const SETTLEMENT_BASIS_LABELS: Record<SettlementBasis, string> = {
	owner_stated: '业主本人说明了按哪个意见计人数',
	owner_unreachable: '联系不上业主，人数按弃权计'
};

const CHOICES: readonly Choice[] = ['yes', 'no', 'abstain'];

export interface MixedChoiceUnit {
	unitId: string;
	choice: Choice;
	areaHundredths: number;
	channel: Channel;
	viaProxy: boolean;
}

export interface MixedChoiceCase {
	compoundId: string;
	motionId: string;
	/** Every counted unit of the person on this motion, sorted by unitId. */
	units: MixedChoiceUnit[];
	/** Whether the person is the developer (all developer_unsold / sold_undelivered units). */
	developer: boolean;
}

/** Identifies a case: its compound, motion and units with their choices. A settlement holds for this key only. */
export function caseKey(c: { compoundId: string; motionId: string; units: readonly { unitId: string; choice: Choice }[] }): string {
	return JSON.stringify([c.compoundId, c.motionId, c.units.map((u) => [u.unitId, u.choice])]);
}

/** The choices a case may be settled with: those its units cast, and abstain. */
export function allowedSettlementChoices(c: { units: readonly { choice: Choice }[] }): Choice[] {
	return CHOICES.filter((choice) => choice === 'abstain' || c.units.some((u) => u.choice === choice));
}

interface FoundCase extends MixedChoiceCase {
	compoundIndex: number;
	motionIndex: number;
	person: number;
}

/** Every person whose counted units chose differently, per compound and motion. Linear in units × motions. */
export function findMixedCases(vote: PreparedVote, ballots: PreparedBallots): FoundCase[] {
	if (vote.ruleKind === 'unanimous_affected') return [];
	const latest = findLatestBallots(vote, ballots);
	const electronicPrevails = vote.bothChannelsRule === 'electronic_prevails';
	const motionCount = vote.motions.length;
	const cases: FoundCase[] = [];
	vote.compounds.forEach((compound, c) => {
		const { personOfUnit, units } = compound;
		for (let m = 0; m < motionCount; m++) {
			const chosenOf = new Int32Array(units.length).fill(-1);
			const masks = new Uint8Array(compound.personCount);
			for (let u = 0; u < units.length; u++) {
				const slot = u * motionCount + m;
				const e = latest[c].electronic[slot];
				const p = latest[c].paper[slot];
				const chosen = e >= 0 && p >= 0 ? (electronicPrevails ? e : p) : e >= 0 ? e : p;
				if (chosen < 0) continue;
				chosenOf[u] = chosen;
				masks[personOfUnit[u]] |= 1 << (ballots.facts[chosen] & 3);
			}
			const byPerson = new Map<number, FoundCase>();
			for (let u = 0; u < units.length; u++) {
				const chosen = chosenOf[u];
				if (chosen < 0) continue;
				const person = personOfUnit[u];
				const mask = masks[person];
				if ((mask & (mask - 1)) === 0) continue;
				let found = byPerson.get(person);
				if (!found) {
					const developer = units[u].status !== 'owned';
					const motionId = vote.motions[m].id;
					found = { compoundId: compound.compoundId, motionId, units: [], developer, compoundIndex: c, motionIndex: m, person };
					byPerson.set(person, found);
					cases.push(found);
				}
				const fact = ballots.facts[chosen];
				found.units.push({
					unitId: units[u].unitId,
					choice: CHOICES[fact & 3],
					areaHundredths: units[u].areaHundredths,
					channel: (fact & 4) !== 0 ? 'electronic' : 'paper',
					viaProxy: (fact & 8) !== 0
				});
			}
		}
	});
	for (const found of cases) found.units.sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
	return cases;
}

/**
 * Checks the settlements against the cases and returns, per compound and motion, the settled
 * person → choice code. Pushes a problem for a settlement that matches no case, a choice or basis
 * not allowed, a case settled twice, and — when settlements are given at all — a case left open.
 */
export function resolveSettlements(
	vote: PreparedVote,
	ballots: PreparedBallots,
	settlements: readonly PersonSettlement[] | undefined,
	problems: InputProblem[]
): SettledPersons | undefined {
	if (settlements === undefined) return undefined;
	if (!Array.isArray(settlements)) {
		problems.push(problem('personSettlements', 'personSettlements 须为列表', 'personSettlements must be an array'));
		return undefined;
	}
	const cases = findMixedCases(vote, ballots);
	const byKey = new Map(cases.map((c) => [caseKey(c), c]));
	const settled: SettledPersons = vote.compounds.map(() => vote.motions.map(() => new Map<number, number>()));
	const used = new Set<string>();
	settlements.forEach((s, i) => {
		const at = `personSettlements[${i}]`;
		// Matched as a set: a copy whose unit ids were pseudonymised lists them in another order.
		const units = Array.isArray(s?.units)
			? [...s.units].sort((a, b) => (a?.unitId < b?.unitId ? -1 : a?.unitId > b?.unitId ? 1 : 0))
			: [];
		const key = caseKey({ compoundId: s?.compoundId, motionId: s?.motionId, units });
		const found = byKey.get(key);
		if (!found) {
			problems.push(
				problem(
					at,
					'这项处理对应不上任何一位多套房屋投票不一致的业主（房屋或选项不符）',
					'this settlement matches no person whose units voted differently'
				)
			);
			return;
		}
		if (used.has(key)) {
			problems.push(problem(at, '同一位业主的同一事项处理了两次', 'the same case is settled twice'));
			return;
		}
		used.add(key);
		if (s.basis !== 'owner_stated' && s.basis !== 'owner_unreachable') {
			problems.push(
				problem(`${at}.basis`, '处理依据须为 owner_stated 或 owner_unreachable', 'basis must be owner_stated or owner_unreachable')
			);
			return;
		}
		if (!allowedSettlementChoices(found).includes(s.choice) || (s.basis === 'owner_unreachable' && s.choice !== 'abstain')) {
			problems.push(
				problem(
					`${at}.choice`,
					'只能按该业主某套房屋投的意见计，或按弃权计；联系不上业主的按弃权计',
					'the choice must be one the units cast, or abstain'
				)
			);
			return;
		}
		settled[found.compoundIndex][found.motionIndex].set(found.person, CHOICES.indexOf(s.choice));
	});
	for (const c of cases) {
		if (!used.has(caseKey(c))) {
			const zh = `${c.compoundId} 事项${c.motionId}：有一位业主的 ${c.units.length} 套房屋投票不一致，未经业委会处理`;
			problems.push(problem('personSettlements', zh, 'a person whose units voted differently was not settled'));
		}
	}
	return settled;
}

/** The cases as they stand, without their index fields (for the server's list and the close check). */
export function mixedChoiceCases(vote: PreparedVote, ballots: PreparedBallots): MixedChoiceCase[] {
	return findMixedCases(vote, ballots).map(({ compoundId, motionId, units, developer }) => ({ compoundId, motionId, units, developer }));
}

/** What the public record says about settlements: how many, and how each was settled — no units, no owners. */
export function settlementSummary(settlements: readonly PersonSettlement[]): SettlementSummary {
	const sortKey = (s: SettlementSummary['settled'][number]) => JSON.stringify([s.compoundId, s.motionId, s.choice, s.basis]);
	const settled = settlements
		.map((s) => ({ compoundId: s.compoundId, motionId: s.motionId, choice: s.choice, basis: s.basis }))
		.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
	return { count: settled.length, settled };
}

export interface SettlementSummary {
	count: number;
	settled: { compoundId: string; motionId: string; choice: Choice; basis: SettlementBasis }[];
}
