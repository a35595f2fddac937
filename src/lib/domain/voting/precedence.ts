/**
 * Which ballot counts for a unit and motion. One vote per unit (co-owners included):
 * 1. within one channel, the latest ballot counts: greatest castAt, ties broken by greater seq;
 * 2. if the unit has a counted ballot in both channels, bothChannelsRule decides, whatever the
 *    times (the rule is fixed before opening and shown on the result).
 * Both steps depend only on the ballots' contents, never on their order in the input.
 */
import type { BothChannelsRule, CastBallot } from './types.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function twoDigits(text: string, at: number): number {
	return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Milliseconds since the epoch, or null when castAt is not an ISO 8601 instant with an offset
 * ("2025-06-02T10:00:00+08:00", "…Z"). Stricter than Date.parse alone, which would take local
 * times or roll 2025-02-30 over into March. Digits below the millisecond are ignored; seq decides
 * between ballots that close. Runs once per ballot, so it avoids allocating.
 *
 * The common shapes (seconds optional, up to 3 fraction digits, in-range offset) are read by hand
 * in integer arithmetic: the regular expression plus Date.parse cost about 1 µs per ballot, most
 * of a 100,000-unit recount. Anything else takes the original regex + Date.parse path, so the
 * accepted inputs and the values are exactly those of that path (fuzz-checked against it).
 */
export function parseInstant(iso: string): number | null {
	if (typeof iso !== 'string') return null;
	const fast = parseCommonInstant(iso);
	return fast !== undefined ? fast : parseInstantSlow(iso);
}

function parseInstantSlow(iso: string): number | null {
	if (!ISO_INSTANT.test(iso)) return null;
	const year = twoDigits(iso, 0) * 100 + twoDigits(iso, 2);
	const month = twoDigits(iso, 5);
	const day = twoDigits(iso, 8);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	if (twoDigits(iso, 11) > 23 || twoDigits(iso, 14) > 59 || (iso[16] === ':' && twoDigits(iso, 17) > 59)) return null;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? null : ms;
}

/** Two ASCII digits at `at` as a number, or -1 when either is not a digit. */
function digits2(text: string, at: number): number {
	const a = text.charCodeAt(at) - 48;
	const b = text.charCodeAt(at + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), exact in integers. */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** The common shapes of parseInstant, or undefined to let the slow path decide (including null). */
function parseCommonInstant(iso: string): number | undefined {
	const n = iso.length;
	if (n < 17 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58)
		return undefined;
	const hi = digits2(iso, 0);
	const lo = digits2(iso, 2);
	const month = digits2(iso, 5);
	const day = digits2(iso, 8);
	const hour = digits2(iso, 11);
	const minute = digits2(iso, 14);
	if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
	const year = hi * 100 + lo;
	if (day > daysInMonth(year, month)) return undefined;
	let at = 16;
	let second = 0;
	let millis = 0;
	if (iso.charCodeAt(at) === 58) {
		second = digits2(iso, at + 1);
		if (second < 0 || second > 59) return undefined;
		at += 3;
		if (iso.charCodeAt(at) === 46) {
			at++;
			let count = 0;
			while (count < 3 && at < n) {
				const d = iso.charCodeAt(at) - 48;
				if (d < 0 || d > 9) break;
				millis = millis * 10 + d;
				count++;
				at++;
			}
			if (count === 0) return undefined;
			// More than three fraction digits: leave it to the slow path.
			const next = iso.charCodeAt(at) - 48;
			if (next >= 0 && next <= 9) return undefined;
			millis *= count === 1 ? 100 : count === 2 ? 10 : 1;
		}
	}
	let offsetMinutes = 0;
	const sign = iso.charCodeAt(at);
	if (sign === 90 /* Z */) {
		if (at + 1 !== n) return undefined;
	} else if (sign === 43 /* + */ || sign === 45 /* - */) {
		if (at + 6 !== n || iso.charCodeAt(at + 3) !== 58) return undefined;
		const oh = digits2(iso, at + 1);
		const om = digits2(iso, at + 4);
		if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
		offsetMinutes = (sign === 43 ? 1 : -1) * (oh * 60 + om);
	} else {
		return undefined;
	}
	return (
		daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis - offsetMinutes * 60_000
	);
}

/** True when ballot a (cast at aMs) replaces ballot b (cast at bMs) of the same channel. */
export function supersedes(a: CastBallot, aMs: number, b: CastBallot, bMs: number): boolean {
	return aMs > bMs || (aMs === bMs && a.seq > b.seq);
}

/** Picks between a unit's latest electronic and latest paper ballot. */
export function pickAcrossChannels<T>(electronic: T | null, paper: T | null, rule: BothChannelsRule): T | null {
	if (electronic !== null && paper !== null) return rule === 'electronic_prevails' ? electronic : paper;
	return electronic ?? paper;
}

export const DEFAULT_BOTH_CHANNELS_RULE: BothChannelsRule = 'electronic_prevails';
