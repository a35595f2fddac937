/** Small statistics helpers for the benchmarks: nearest-rank percentiles, medians, formatting. */
import { pace } from '../helpers/wait.ts';

/** Nearest-rank percentile (p in 0..100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(samples: readonly number[]): number {
	return percentile(samples, 50);
}

export function mean(samples: readonly number[]): number {
	return samples.length === 0 ? NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export interface Summary {
	n: number;
	min: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
	mean: number;
}

export function summarize(samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (p: number) => percentile(sorted, p);
	return {
		n: sorted.length,
		min: sorted[0] ?? NaN,
		p50: at(50),
		p90: at(90),
		p99: at(99),
		max: sorted[sorted.length - 1] ?? NaN,
		mean: mean(sorted)
	};
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export function now(): number {
	return performance.now();
}

/** A number with a thin grouping and a fixed number of decimals: 12,345.6 */
export function fmt(value: number, decimals = 0): string {
	if (!Number.isFinite(value)) return String(value);
	return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Milliseconds, with precision that suits the magnitude. */
export function ms(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	if (value < 0.01) return `${fmt(value * 1000, 2)} µs`;
	if (value < 1) return `${fmt(value * 1000, 0)} µs`;
	if (value < 10) return `${fmt(value, 2)} ms`;
	if (value < 1000) return `${fmt(value, 1)} ms`;
	return `${fmt(value / 1000, 2)} s`;
}

export function bytes(value: number): string {
	if (value < 1024) return `${value} B`;
	if (value < 1024 * 1024) return `${fmt(value / 1024, 1)} KB`;
	return `${fmt(value / 1024 / 1024, 1)} MB`;
}

export function ratio(a: number, b: number): string {
	if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
	return `${fmt(a / b, 2)}×`;
}

export function pct(a: number, b: number): string {
	if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
	return `${fmt((100 * a) / b, 0)}%`;
}

/** A pause between rounds of a load loop (tests/helpers/wait.ts holds the one timer-based wait of tests/). */
export const sleep = pace;

/** Polls `check` every `every` ms until it is true or `timeoutMs` passes; returns whether it became true. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, every = 5): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return true;
		await sleep(every);
	}
	return await check();
}
