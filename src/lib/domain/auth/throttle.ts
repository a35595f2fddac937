/**
 * Throttling as a pure function of past failures and time: growing delays, never a lockout.
 *
 * Each key (an account tried from one address, an address, …) has a window. The first
 * `freeFailures` failures in it cost nothing; from then on the next attempt must wait
 * `baseDelayMs`, doubling with each further failure up to `maxDelayMs`, counted from the last
 * failure. A window that has run `windowMs` starts over. Whoever waits may always try again:
 * nothing here ever refuses for good.
 */
import { m } from '../../paraglide/messages.js';

export interface ThrottlePolicy {
	freeFailures: number;
	baseDelayMs: number;
	maxDelayMs: number;
	windowMs: number;
}

/** What a store keeps per key. */
export interface ThrottleState {
	failures: number;
	windowStartedAt: number;
	lastFailureAt: number;
}

/** The state as it counts at `now`: a window that has run out counts as none. */
export function liveState(policy: ThrottlePolicy, state: ThrottleState | null | undefined, now: number): ThrottleState | null {
	if (!state || state.failures <= 0) return null;
	if (now - state.windowStartedAt >= policy.windowMs) return null;
	return state;
}

/** The delay owed after `failures` failures in a window (0 while still free). */
export function delayAfter(policy: ThrottlePolicy, failures: number): number {
	if (failures < policy.freeFailures) return 0;
	const doublings = failures - policy.freeFailures;
	// 2^40 ms is far past any cap: stop doubling before the number stops being exact.
	if (doublings >= 40) return policy.maxDelayMs;
	return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/** Milliseconds until the next attempt is allowed; 0 when it is allowed now. */
export function waitMs(policy: ThrottlePolicy, state: ThrottleState | null | undefined, now: number): number {
	const live = liveState(policy, state, now);
	if (!live) return 0;
	return Math.max(0, live.lastFailureAt + delayAfter(policy, live.failures) - now);
}

/** The state after one more failure at `now` (what a store writes; the database store does the same in SQL). */
export function afterFailure(policy: ThrottlePolicy, state: ThrottleState | null | undefined, now: number): ThrottleState {
	const live = liveState(policy, state, now);
	if (!live) return { failures: 1, windowStartedAt: now, lastFailureAt: now };
	return { failures: live.failures + 1, windowStartedAt: live.windowStartedAt, lastFailureAt: Math.max(now, live.lastFailureAt) };
}

/** 请 X 秒后再试: how long to wait, in words a resident reads at a glance. Never "locked". */
export function waitMessage(ms: number): string {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	return seconds < 120 ? m.auth_wait_seconds({ seconds }) : m.auth_wait_minutes({ minutes: Math.ceil(seconds / 60) });
}

/**
 * The address a throttle counts: an IPv4 address as it is, an IPv6 address by its /64 network —
 * one household or phone gets a whole /64 and can pick a fresh address in it for every try.
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as the IPv4 address. Anything unparsable is kept as is.
 */
export function addressBucket(address: string): string {
	const raw = address
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/%.*$/, '');
	const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw);
	if (mapped) return mapped[1];
	if (!raw.includes(':')) return raw;
	const halves = raw.split('::');
	if (halves.length > 2) return raw;
	const head = halves[0] ? halves[0].split(':') : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
	const missing = 8 - head.length - tail.length;
	if (missing < 0 || (halves.length === 1 && missing !== 0)) return raw;
	const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
	if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return raw;
	return `${groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}
