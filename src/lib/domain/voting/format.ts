/**
 * Display formatting for the result and the recount report. Display only: nothing here decides
 * anything, but it is still integer arithmetic so a stated display string recomputes identically
 * on every machine.
 */

function groupThousands(digits: string): string {
	return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1234567 → "12,345.67㎡". */
export function formatArea(hundredths: number): string {
	const sign = hundredths < 0 ? '-' : '';
	const abs = Math.abs(hundredths);
	return `${sign}${groupThousands(String(Math.floor(abs / 100)))}.${String(abs % 100).padStart(2, '0')}㎡`;
}

/**
 * numerator/denominator as a percentage with two decimals, truncated (never rounded up), so a
 * share just below 2/3 never displays as "66.67%". 0/0 → "—".
 */
export function formatPercent(numerator: number, denominator: number): string {
	if (denominator === 0) return '—';
	const basisPoints = (BigInt(numerator) * 10000n) / BigInt(denominator);
	const whole = basisPoints / 100n;
	const fraction = basisPoints % 100n;
	return `${whole}.${String(fraction).padStart(2, '0')}%`;
}
