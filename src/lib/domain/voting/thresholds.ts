/**
 * Threshold tests as exact rational comparisons. Sums of areas fit in a Number, but the
 * cross-products of two sums may not, so every comparison is done in BigInt.
 */
import { formatArea, formatPercent } from './format.ts';
import { THRESHOLD_LABELS } from './labels.ts';
import type { Comparison, Fraction, ThresholdCheck, ThresholdId } from './types.ts';

/** 三分之二以上: art. 278 participation, in area and in persons. */
export const TWO_THIRDS: Fraction = Object.freeze({ numerator: 2, denominator: 3 });
/** 过半数: ordinary approval, residents' meeting quorum and approval. */
export const ONE_HALF: Fraction = Object.freeze({ numerator: 1, denominator: 2 });
/** 四分之三以上: major approval (art. 278 ¶1 items 6–8). */
export const THREE_QUARTERS: Fraction = Object.freeze({ numerator: 3, denominator: 4 });
/** 一致同意: art. 279. */
export const ALL: Fraction = Object.freeze({ numerator: 1, denominator: 1 });
/** 五分之一以上: residents who may force a residents' meeting to be convened. */
export const ONE_FIFTH: Fraction = Object.freeze({ numerator: 1, denominator: 5 });

/**
 * Whether actual meets required. A zero denominator never meets anything: an empty roster has
 * no quorum and nobody voting approves nothing.
 */
export function meetsThreshold(actual: Fraction, required: Fraction, comparison: Comparison): boolean {
	if (actual.denominator === 0) return false;
	const left = BigInt(actual.numerator) * BigInt(required.denominator);
	const right = BigInt(required.numerator) * BigInt(actual.denominator);
	return comparison === 'at_least' ? left >= right : left > right;
}

export type Measure = 'area' | 'count';

function formatAmount(value: number, measure: Measure): string {
	return measure === 'area' ? formatArea(value) : `${value}人`;
}

/** Builds one labelled test with a display line such as "12,345.67㎡ / 18,000.00㎡ = 68.58%，要求 ≥ 2/3：达到". */
export function checkThreshold(
	id: ThresholdId,
	actual: Fraction,
	required: Fraction,
	comparison: Comparison,
	measure: Measure
): ThresholdCheck {
	const met = meetsThreshold(actual, required, comparison);
	const operator = comparison === 'at_least' ? '≥' : '>';
	const display =
		`${formatAmount(actual.numerator, measure)} / ${formatAmount(actual.denominator, measure)}` +
		` = ${formatPercent(actual.numerator, actual.denominator)}` +
		`，要求 ${operator} ${required.numerator}/${required.denominator}：${met ? '达到' : '未达到'}`;
	return { id, label: THRESHOLD_LABELS[id], actual: { ...actual }, required: { ...required }, comparison, met, display };
}
