import { toHalfWidth, trimCell } from './text.ts';

const CHINESE_DIGITS: Record<string, number> = {
	一: 1,
	二: 2,
	两: 2,
	三: 3,
	四: 4,
	五: 5,
	六: 6,
	七: 7,
	八: 8,
	九: 9
};

/** 一 … 九十九 → 1 … 99; anything else → null. Buildings rarely go higher, and guessing is worse than keeping the text. */
function chineseNumberBelow100(text: string): number | null {
	const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
	if (!match || text === '') return null;
	const [, tensOrUnit, ten, unit] = match;
	if (!ten) return unit ? null : (CHINESE_DIGITS[tensOrUnit!] ?? null);
	return (tensOrUnit ? CHINESE_DIGITS[tensOrUnit]! : 1) * 10 + (unit ? CHINESE_DIGITS[unit]! : 0);
}

/**
 * One spelling per building, so "3号楼", "3幢", "3栋", "3号", "3#", "03", "３" and "三号楼" are the
 * same building and a re-import diffs cleanly.
 *
 * Rule: full-width → half-width, whitespace removed, a leading "第" dropped; then a bare number
 * (Arabic, or Chinese 一–九十九) optionally followed by 号楼/号/幢/栋/楼/号幢/号栋/#/#楼 becomes
 * "<number>号楼" without leading zeros. Any other name ("A座", "商铺", "12-1") is kept as written
 * (after the same cleaning), because inventing a number for it would merge different buildings.
 */
export function normaliseBuilding(raw: string): string {
	let text = trimCell(toHalfWidth(raw)).replace(/[\s\u3000]+/g, '');
	if (text.startsWith('第') && text.length > 1) text = text.slice(1);
	const match = /^(\d+|[一二两三四五六七八九十]+)(号楼|号幢|号栋|号|幢|栋|楼|#楼|#)?$/.exec(text);
	if (!match) return text;
	const head = match[1];
	if (/^\d+$/.test(head)) return `${head.replace(/^0+(?=\d)/, '')}号楼`;
	const number = chineseNumberBelow100(head);
	return number === null ? text : `${number}号楼`;
}

/**
 * Rooms: trimmed, full-width → half-width, inner whitespace removed, and a trailing "室" dropped
 * ("502室" → "502") so the two common spellings are one room. Anything else is kept verbatim.
 */
export function normaliseRoom(raw: string): string {
	const text = trimCell(toHalfWidth(raw)).replace(/[\s\u3000]+/g, '');
	return text.length > 1 && text.endsWith('室') ? text.slice(0, -1) : text;
}
