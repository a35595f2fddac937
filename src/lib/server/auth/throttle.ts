import { clock } from '../util/clock.ts';

/**
 * A fixed-window attempt counter per key (e.g. "login:<ip>", "login:<account>", "claim:<ip>").
 * Kept in memory: it slows guessing from one process; a restart forgets it, which only
 * gives an attacker the same few attempts again.
 */
export class Throttle {
	#hits = new Map<string, { count: number; windowStart: number }>();
	constructor(
		readonly maxAttempts: number,
		readonly windowMs: number
	) {}

	/** Milliseconds to wait before another attempt is allowed for this key, 0 when allowed. */
	wait(key: string): number {
		const entry = this.#hits.get(key);
		if (!entry) return 0;
		const now = clock.now();
		if (now - entry.windowStart >= this.windowMs) return 0;
		return entry.count >= this.maxAttempts ? entry.windowStart + this.windowMs - now : 0;
	}

	/** Records a failed attempt. Successes are not counted, so a shared office address is not locked out by its own users. */
	fail(key: string): void {
		const now = clock.now();
		const entry = this.#hits.get(key);
		if (!entry || now - entry.windowStart >= this.windowMs) {
			this.#hits.set(key, { count: 1, windowStart: now });
			if (this.#hits.size > 50_000) this.#sweep(now);
			return;
		}
		entry.count++;
	}

	/** Records an attempt and returns the wait; for callers that count every try (used by tests of the window). */
	hit(key: string): number {
		const wait = this.wait(key);
		this.fail(key);
		return wait;
	}

	reset(key: string): void {
		this.#hits.delete(key);
	}

	#sweep(now: number): void {
		for (const [key, entry] of this.#hits) if (now - entry.windowStart >= this.windowMs) this.#hits.delete(key);
	}
}

/** Ten failed logins per quarter hour per account; per address more, since a 居委 office shares one. */
export const loginThrottle = new Throttle(10, 15 * 60 * 1000);
export const loginAddressThrottle = new Throttle(50, 15 * 60 * 1000);
/** Verification codes are short; guessing them must be slow. */
export const claimThrottle = new Throttle(10, 15 * 60 * 1000);

export function waitMessage(ms: number): string {
	const minutes = Math.max(1, Math.ceil(ms / 60000));
	return `尝试次数太多，请 ${minutes} 分钟后再试`;
}
