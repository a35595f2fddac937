import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addressBucket,
	afterFailure,
	delayAfter,
	waitMessage,
	waitMs,
	type ThrottlePolicy,
	type ThrottleState
} from '../../../src/lib/domain/auth/throttle.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const policy: ThrottlePolicy = { freeFailures: 5, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: 24 * 60 * MINUTE };

function fail(times: number, at: number, state: ThrottleState | null = null): ThrottleState | null {
	for (let i = 0; i < times; i++) state = afterFailure(policy, state, at);
	return state;
}

describe('throttle policy', () => {
	it('lets the first five failures through without any wait', () => {
		const t = 1_000_000;
		expect(waitMs(policy, null, t)).toBe(0);
		expect(waitMs(policy, fail(4, t), t)).toBe(0);
	});

	it('then asks for one second, doubling with each failure, capped at fifteen minutes', () => {
		expect([5, 6, 7, 8, 9].map((n) => delayAfter(policy, n))).toEqual([1, 2, 4, 8, 16].map((s) => s * SECOND));
		expect(delayAfter(policy, 15)).toBe(15 * MINUTE);
		expect(delayAfter(policy, 1_000_000)).toBe(15 * MINUTE);
	});

	it('counts the wait from the last failure, so waiting it out always allows another try', () => {
		const t = 1_000_000;
		const state = fail(8, t);
		expect(waitMs(policy, state, t)).toBe(8 * SECOND);
		expect(waitMs(policy, state, t + 3 * SECOND)).toBe(5 * SECOND);
		expect(waitMs(policy, state, t + 8 * SECOND)).toBe(0);
	});

	it('forgets a window once it has run out', () => {
		const t = 1_000_000;
		const state = fail(30, t);
		expect(waitMs(policy, state, t + MINUTE)).toBeGreaterThan(0);
		expect(afterFailure(policy, state, t + policy.windowMs - 1).failures).toBe(31);
		expect(afterFailure(policy, state, t + policy.windowMs)).toEqual({
			failures: 1,
			windowStartedAt: t + policy.windowMs,
			lastFailureAt: t + policy.windowMs
		});
	});

	it('never refuses for longer than the cap, however many failures', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 10 * MINUTE }), { maxLength: 200 }),
				fc.integer({ min: 0, max: 60 * MINUTE }),
				(gaps, later) => {
					let now = 1_000_000;
					let state: ThrottleState | null = null;
					for (const gap of gaps) {
						now += gap;
						state = afterFailure(policy, state, now);
					}
					const wait = waitMs(policy, state, now + later);
					expect(wait).toBeGreaterThanOrEqual(0);
					expect(wait).toBeLessThanOrEqual(policy.maxDelayMs);
					expect(waitMs(policy, state, now + policy.maxDelayMs)).toBe(0);
				}
			)
		);
	});

	it('says how long to wait in plain Chinese, never that the account is locked', () => {
		expect(waitMessage(1)).toContain('请 1 秒后再试');
		expect(waitMessage(90 * SECOND)).toContain('请 90 秒后再试');
		expect(waitMessage(15 * MINUTE)).toContain('请 15 分钟后再试');
		expect(waitMessage(15 * MINUTE)).not.toMatch(/锁|冻结/);
	});
});

describe('addressBucket', () => {
	it.each([
		['203.0.113.7', '203.0.113.7'],
		['::ffff:203.0.113.7', '203.0.113.7'],
		['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
		['2001:db8:1:2::1', '2001:db8:1:2::/64'],
		['2001:0db8:0001:0002:0:0:0:9', '2001:db8:1:2::/64'],
		['2001:DB8:1:2::ABCD', '2001:db8:1:2::/64'],
		['2001:db8::1', '2001:db8:0:0::/64'],
		['::1', '0:0:0:0::/64'],
		['[2001:db8:1:2::1]', '2001:db8:1:2::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
		['not an address', 'not an address'],
		['1:2:3', '1:2:3']
	])('%s counts as %s', (address, bucket) => {
		expect(addressBucket(address)).toBe(bucket);
	});

	it('puts every address of one /64 in one bucket, and other networks apart', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
				const address = groups.map((g) => g.toString(16)).join(':');
				const sibling = [...groups.slice(0, 4), 1, 2, 3, 4].map((g) => g.toString(16)).join(':');
				expect(addressBucket(address)).toBe(addressBucket(sibling));
				const other = [groups[0] ^ 1, ...groups.slice(1)].map((g) => g.toString(16)).join(':');
				expect(addressBucket(other)).not.toBe(addressBucket(address));
			})
		);
	});
});
