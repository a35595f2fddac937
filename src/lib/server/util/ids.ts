import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * Cryptographically random bytes, drawn from a pool refilled 4 KB at a time: every request that
 * writes takes several ids, and one getRandomValues call per id was a measurable share of a
 * ballot's CPU (tests/bench/REPORT.md, notes). Each byte is handed out once.
 */
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let used = POOL_SIZE;

export function randomBytes(n: number): Uint8Array {
	if (n > POOL_SIZE) return crypto.getRandomValues(new Uint8Array(n));
	if (used + n > POOL_SIZE) {
		crypto.getRandomValues(pool);
		used = 0;
	}
	const out = pool.slice(used, used + n);
	used += n;
	return out;
}

/** A random identifier: 80 bits, base32, URL-safe. */
export function newId(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(10));
}
