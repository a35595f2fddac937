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

/**
 * A leading apostrophe before = + - @ is how rosterToCsv defuses spreadsheet formulas (CSV
 * injection); it is not part of the value, so the reader removes it again.
 */
export function stripFormulaGuard(text: string): string {
	return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}
