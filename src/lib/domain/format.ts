/** Area in ㎡ for display: integer hundredths rendered with two decimals, no float arithmetic. Dates: time/china-date.ts. */
export function formatArea(hundredths: number): string {
	const sign = hundredths < 0 ? '-' : '';
	const abs = Math.abs(hundredths);
	return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
