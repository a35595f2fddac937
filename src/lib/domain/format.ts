import { chinaDateString, chinaMidnight, parseChinaDate } from './time/china-date.ts';

/** Area in ㎡ for display: integer hundredths rendered with two decimals, no float arithmetic. */
export function formatArea(hundredths: number): string {
	const sign = hundredths < 0 ? '-' : '';
	const abs = Math.abs(hundredths);
	return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A date and time in China Standard Time, the way a notice board writes it: 2026年11月22日 14:05. */
export function formatDateTime(ms: number): string {
	const d = new Date(ms + 8 * 3600_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatDate(ms: number): string {
	const d = new Date(ms + 8 * 3600_000);
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The start (00:00 China Standard Time) of a day written as YYYY-MM-DD, or null when it is not a date (2026-02-31 is not). */
export function chinaDayStart(isoDay: string): number | null {
	const day = parseChinaDate(isoDay);
	return day === null ? null : chinaMidnight(day);
}

/** YYYY-MM-DD of an instant in China Standard Time, for date inputs. */
export function chinaIsoDay(ms: number): string {
	return chinaDateString(ms);
}
