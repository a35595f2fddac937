/**
 * English text may carry Chinese only as a bracketed legal gloss beside its English name, e.g.
 * "owners' committee (业委会)" or "(《民法典》第278条)"; anything else left in Chinese is untranslated.
 */
export function chineseOutsideGlosses(text: string): string[] {
	const bare = text.replace(/[(（][^()（）]*[)）]/g, (g) => (/[A-Za-z]/.test(g) ? g : ''));
	return bare.match(/[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+/g) ?? [];
}
