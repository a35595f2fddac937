/** Small text helpers shared by the roster parser. Pure; no Intl beyond String.prototype. */

/** Full-width ASCII (！..～) and the ideographic space to their half-width forms; nothing else changes. */
export function toHalfWidth(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
		else if (code === 0x3000) out += ' ';
		else out += text[i];
	}
	return out;
}

/** Trim, counting the ideographic space, no-break space and zero-width characters Excel leaves behind. */
export function trimCell(text: string): string {
	return text.replace(/^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$/g, '');
}

/** What makes a spreadsheet treat a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Prefixes an apostrophe to a text cell that a spreadsheet would run as a formula (= + - @, tab or
 * CR first), as OWASP recommends. For cells of text people typed; numbers the app writes itself
 * (an area) are written as they are.
 */
export function defuseFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A leading apostrophe before = + - @ tab or CR is how rosterToCsv defuses spreadsheet formulas
 * (CSV injection); it is not part of the value, so the reader removes it again.
 */
export function stripFormulaGuard(text: string): string {
	return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
