/**
 * 附议门槛: how much support puts a concern in the triage queue. Either a count of supporting
 * households, or a share of the households of the concerned compounds, compared exactly
 * (cross-multiplied integers, never floats).
 */
import { m } from '../../paraglide/messages.js';

export type CosignThreshold = { kind: 'count'; count: number } | { kind: 'share'; numerator: number; denominator: number };

export const DEFAULT_THRESHOLD: CosignThreshold = { kind: 'count', count: 5 };

export interface Cosign {
	userId: string;
	/** The co-signer's household; null for staff who co-sign without a home in the compound. */
	unitId: string | null;
}

/**
 * Support counts households, not accounts: two people of one flat count once. A staff member
 * without a household counts as one.
 */
export function supportCount(cosigns: readonly Cosign[]): number {
	const keys = new Set(cosigns.map((c) => (c.unitId ? `u:${c.unitId}` : `p:${c.userId}`)));
	return keys.size;
}

export function thresholdReached(support: number, households: number, threshold: CosignThreshold): boolean {
	if (threshold.kind === 'count') return support >= threshold.count;
	// support / households ≥ numerator / denominator
	return support * threshold.denominator >= threshold.numerator * households;
}

/** How many more households are needed (0 when reached). */
export function supportMissing(support: number, households: number, threshold: CosignThreshold): number {
	if (threshold.kind === 'count') return Math.max(0, threshold.count - support);
	// Smallest n with n·den ≥ num·households: an integer ceiling division.
	const needed = Math.floor((threshold.numerator * households + threshold.denominator - 1) / threshold.denominator);
	return Math.max(0, needed - support);
}

/** In the reader's language; stored text passes `{ locale: 'zh-CN' }`. */
export function describeThreshold(threshold: CosignThreshold, options?: { locale?: 'zh-CN' | 'en' }): string {
	return threshold.kind === 'count'
		? m.concerns_threshold_count({ count: threshold.count }, options)
		: m.concerns_threshold_share({ numerator: threshold.numerator, denominator: threshold.denominator }, options);
}

/** Reads a threshold from a compound's settings JSON; anything malformed falls back to the default. */
export function parseThreshold(value: unknown): CosignThreshold {
	const v = value as Partial<{ kind: string; count: number; numerator: number; denominator: number }> | null;
	if (v && v.kind === 'count' && Number.isInteger(v.count) && v.count! >= 1) return { kind: 'count', count: v.count! };
	if (
		v &&
		v.kind === 'share' &&
		Number.isInteger(v.numerator) &&
		Number.isInteger(v.denominator) &&
		v.numerator! >= 1 &&
		v.denominator! >= v.numerator!
	) {
		return { kind: 'share', numerator: v.numerator!, denominator: v.denominator! };
	}
	return DEFAULT_THRESHOLD;
}
