/**
 * 意见征询: advisory polls open to every resident of the participating compounds, tenants
 * included. Counted per compound and pooled; the pooled figure is advisory only — a pooled count
 * across compounds has no legal basis for owners' decisions (DOMAIN.md §3).
 */

export const ADVISORY_LABEL = '征询意见（仅供参考，不是业主表决）';

export interface AdvisoryAnswer {
	compoundId: string;
	option: number;
}

export interface AdvisoryCount {
	compoundId: string | null; // null: pooled
	counts: number[];
	total: number;
	/** Options with the most answers (several on a tie; empty when nobody answered). */
	leading: number[];
}

export interface AdvisoryTally {
	advisory: true;
	label: string;
	perCompound: AdvisoryCount[];
	pooled: AdvisoryCount;
}

function countOf(compoundId: string | null, optionCount: number, answers: readonly AdvisoryAnswer[]): AdvisoryCount {
	const counts = Array.from({ length: optionCount }, () => 0);
	for (const a of answers) if (Number.isInteger(a.option) && a.option >= 0 && a.option < optionCount) counts[a.option]++;
	const total = counts.reduce((s, n) => s + n, 0);
	const max = Math.max(0, ...counts);
	return { compoundId, counts, total, leading: max === 0 ? [] : counts.flatMap((n, i) => (n === max ? [i] : [])) };
}

/** Answers from compounds not participating are ignored (and cannot be given: the service refuses them). */
export function tallyAdvisory(compoundIds: readonly string[], optionCount: number, answers: readonly AdvisoryAnswer[]): AdvisoryTally {
	const inScope = answers.filter((a) => compoundIds.includes(a.compoundId));
	return {
		advisory: true,
		label: ADVISORY_LABEL,
		perCompound: compoundIds.map((id) =>
			countOf(
				id,
				optionCount,
				inScope.filter((a) => a.compoundId === id)
			)
		),
		pooled: countOf(null, optionCount, inScope)
	};
}

/** Share as a whole percent for display only (rounded half up in integers); nothing decides on it. */
export function percent(part: number, total: number): number {
	return total === 0 ? 0 : Math.floor((200 * part + total) / (2 * total));
}
