/**
 * Dates for people to read, in the reader's language (issue #14, part 5). Always China time
 * (Asia/Shanghai, UTC+8, no daylight saving), computed by the one date module, domain/time/china-date.ts:
 * - 简体中文 as a notice board writes it: 2026年11月22日 14:05, 2025年10月9日（星期四）;
 * - English as people in China write it in English: 22 Nov 2026, 14:05; Thu 9 Oct 2025.
 * Pages import these instead of china-date's formatters, which stay for what is stored or signed in Chinese.
 * Areas stay "123.45 ㎡" (domain/format.ts) in both languages.
 */
import { getLocale } from '../paraglide/runtime.js';
import {
	DAY_MS,
	chinaDayNumber,
	chinaMidnight,
	formatChinaDay as chineseDay,
	formatDate as chineseDate,
	formatDateTime as chineseDateTime,
	weekday
} from '../domain/time/china-date.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad2 = (n: number) => String(n).padStart(2, '0');

function englishDay(day: number): string {
	const d = new Date(day * DAY_MS);
	return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** 2026年11月22日 / 22 Nov 2026. */
export function formatDate(ms: number): string {
	return getLocale() === 'en' ? englishDay(chinaDayNumber(ms)) : chineseDate(ms);
}

/** 2026年11月22日 14:05 / 22 Nov 2026, 14:05 (China time). */
export function formatDateTime(ms: number): string {
	if (getLocale() !== 'en') return chineseDateTime(ms);
	const day = chinaDayNumber(ms);
	const minutes = Math.floor((ms - chinaMidnight(day)) / 60_000);
	return `${englishDay(day)}, ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** 2025年10月9日（星期四） / Thu 9 Oct 2025, for a China calendar day number. */
export function formatChinaDay(day: number): string {
	return getLocale() === 'en' ? `${WEEKDAYS[weekday(day)]} ${englishDay(day)}` : chineseDay(day);
}
