/**
 * What a public page may show about people: never names, phone numbers or how a unit voted —
 * unless the compound chose to publish per-unit votes, and then only masked ("3号楼 5**").
 */

export type UnitVotePublication = 'none' | 'masked';

/** "502" → "5**", "1104" → "1***", "B1-03" → "B****": the first character stays, the rest is masked. */
export function maskRoom(room: string): string {
	const chars = Array.from(room.trim());
	if (chars.length === 0) return '*';
	return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** "3号楼 5**". The building is public knowledge; the room is not. */
export function maskedUnitLabel(building: string, room: string): string {
	return `${building} ${maskRoom(room)}`;
}

const MOBILE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)/g;
const ID_CARD = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;

/**
 * Masks phone and ID numbers in text a resident wrote (an objection, a rating comment) before
 * it is published: 13812345678 → 138****5678. Names cannot be found reliably, so objections are
 * published without their author's name and the form asks people not to write names.
 */
export function maskPersonalNumbers(text: string): string {
	return text
		.replace(ID_CARD, (_m, a: string, _b: string, c: string) => `${a.slice(0, 3)}${'*'.repeat(14)}${c.slice(-1).toUpperCase()}`)
		.replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
		.replace(LANDLINE, (_m, a: string, b: string) => `${a}-${'*'.repeat(b.length - 4)}${b.slice(-4)}`);
}

/** Who filed an objection, as published: a role and a compound, never a name. */
export function publicFilerLabel(compoundName: string, relation: 'owner' | 'resident'): string {
	return `${compoundName}一位已核验的${relation === 'owner' ? '业主' : '居民'}`;
}
