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
 */
export function parseInstant(iso: string): number | null {
	if (typeof iso !== 'string' || !ISO_INSTANT.test(iso)) return null;
	const year = twoDigits(iso, 0) * 100 + twoDigits(iso, 2);
	const month = twoDigits(iso, 5);
	const day = twoDigits(iso, 8);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	if (twoDigits(iso, 11) > 23 || twoDigits(iso, 14) > 59 || (iso[16] === ':' && twoDigits(iso, 17) > 59)) return null;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? null : ms;
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
