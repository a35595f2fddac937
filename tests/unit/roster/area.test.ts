import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAreaHundredths, parseAreaHundredths } from '../../../src/lib/domain/roster/index.ts';

describe('parseAreaHundredths', () => {
	it.each([
		['89.5', 8950],
		['89.50', 8950],
		['89', 8900],
		['89.', 8900],
		['.5', 50],
		['0.01', 1],
		['089.05', 8905],
		['89.500', 8950],
		['89.5㎡', 8950],
		['89.5 m²', 8950],
		['89.5平方米', 8950],
		['１２０．３', 12030],
		[' 120.30 ', 12030],
		['1,234.56', 123456],
		['10000', 1_000_000],
		['10000.00', 1_000_000]
	])('%s → %i hundredths', (text, hundredths) => {
		expect(parseAreaHundredths(text)).toEqual({ ok: true, hundredths });
	});

	it.each([
		['', 'empty'],
		['   ', 'empty'],
		['八十', 'not_a_number'],
		['89.5.1', 'not_a_number'],
		['1e2', 'not_a_number'],
		['89,5', 'not_a_number'],
		['-5', 'negative'],
		['-0.01', 'negative'],
		['0', 'zero'],
		['0.00', 'zero'],
		['-0', 'zero'],
		['89.555', 'too_many_decimals'],
		['89.501', 'too_many_decimals'],
		['10000.01', 'too_large'],
		['123456', 'too_large'],
		['99999999999999999999', 'too_large']
	])('rejects %j as %s', (text, reason) => {
		expect(parseAreaHundredths(text)).toEqual({ ok: false, reason });
	});

	it('is exact where floats are not (0.29 * 100 = 28.999999999999996)', () => {
		expect(parseAreaHundredths('0.29')).toEqual({ ok: true, hundredths: 29 });
		expect(parseAreaHundredths('1.13')).toEqual({ ok: true, hundredths: 113 });
	});

	it('reads back every area it formats', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 1_000_000 }), (hundredths) => {
				expect(parseAreaHundredths(formatAreaHundredths(hundredths))).toEqual({ ok: true, hundredths });
			})
		);
	});
});

describe('formatAreaHundredths', () => {
	it('always shows two decimals', () => {
		expect(formatAreaHundredths(8950)).toBe('89.50');
		expect(formatAreaHundredths(5)).toBe('0.05');
		expect(formatAreaHundredths(1_000_000)).toBe('10000.00');
	});
});
