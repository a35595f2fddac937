import { toHalfWidth, trimCell } from './text.ts';

/** Largest area a single unit may have; anything above is almost certainly a typo (e.g. 8950 for 89.50). */
export const MAX_AREA_HUNDREDTHS = 10_000 * 100;

export type AreaParse =
	| { ok: true; hundredths: number }
	| { ok: false; reason: 'empty' | 'not_a_number' | 'negative' | 'zero' | 'too_many_decimals' | 'too_large' };

/**
 * Parses "89.5", "89.50", "89.5㎡", "１２０．３", "1,234.5" into integer hundredths of ㎡ by reading
 * the decimal string digit by digit: no float ever decides an area (STYLE.md 7). Extra decimals
 * are accepted only when they are zeros ("89.500").
 */
export function parseAreaHundredths(raw: string): AreaParse {
	let text = trimCell(toHalfWidth(raw)).replace(/\s+/g, '');
	text = text.replace(/(㎡|m²|m2|平方米|平米|平)$/i, '');
	if (text === '') return { ok: false, reason: 'empty' };
	let negative = false;
	if (text.startsWith('-') || text.startsWith('−')) {
		negative = true;
		text = text.slice(1);
	} else if (text.startsWith('+')) {
		text = text.slice(1);
	}
	if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) text = text.replace(/,/g, '');
	const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
	if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { ok: false, reason: 'not_a_number' };
	const whole = match[1].replace(/^0+(?=\d)/, '');
	let fraction = match[2] ?? '';
	if (fraction.length > 2) {
		if (/[^0]/.test(fraction.slice(2))) return { ok: false, reason: 'too_many_decimals' };
		fraction = fraction.slice(0, 2);
	}
	if (negative && /[1-9]/.test(whole + fraction)) return { ok: false, reason: 'negative' };
	// More than 5 integer digits is over the cap anyway; checking length first keeps Number() exact.
	if (whole.length > 5) return { ok: false, reason: 'too_large' };
	const hundredths = Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0'));
	if (hundredths === 0) return { ok: false, reason: 'zero' };
	if (hundredths > MAX_AREA_HUNDREDTHS) return { ok: false, reason: 'too_large' };
	return { ok: true, hundredths };
}

/** 8950 → "89.50". */
export function formatAreaHundredths(hundredths: number): string {
	const sign = hundredths < 0 ? '-' : '';
	const abs = Math.abs(hundredths);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
