import { describe, expect, it } from 'vitest';
import { newId, randomBytes } from '../../../src/lib/server/util/ids.ts';
import { newReceipt, RECEIPT_LENGTH } from '../../../src/lib/server/voting/common.ts';

describe('random ids from the pool', () => {
	it('hands out fresh bytes across pool refills, never the same run twice', () => {
		const seen = new Set<string>();
		// 5,000 × 10 bytes spans a dozen refills of the 4 KB pool.
		for (let i = 0; i < 5_000; i++) {
			const id = newId();
			expect(id).toMatch(/^[a-z2-7]{16}$/);
			expect(seen.has(id)).toBe(false);
			seen.add(id);
		}
	});

	it('returns copies of the requested length, also larger than the pool', () => {
		const a = randomBytes(7);
		const b = randomBytes(7);
		expect(a).toHaveLength(7);
		a.fill(0);
		expect(randomBytes(5000)).toHaveLength(5000);
		expect(b.some((x) => x !== 0) || randomBytes(32).some((x) => x !== 0)).toBe(true);
	});

	it('makes receipts from the 31 unambiguous symbols', () => {
		const receipts = Array.from({ length: 2_000 }, newReceipt);
		for (const r of receipts) expect(r).toMatch(new RegExp(`^[2-9A-HJKMNP-Z]{${RECEIPT_LENGTH}}$`));
		expect(new Set(receipts).size).toBe(receipts.length);
	});
});
