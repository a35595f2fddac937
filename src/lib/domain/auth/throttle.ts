/**
 * Throttling as a pure function of past failures and time: growing delays, never a lockout.
 *
 * Each key (an account tried from one address, an address, …) has a window. The first
 * `freeFailures` failures in it cost nothing; from then on the next attempt must wait
 * `baseDelayMs`, doubling with each further failure up to `maxDelayMs`, counted from the last
 * failure. A window that has run `windowMs` starts over. Whoever waits may always try again:
 * nothing here ever refuses for good.
 */
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
	const when = seconds < 120 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
	return `尝试的次数多了，为了安全请 ${when}后再试。`;
}
