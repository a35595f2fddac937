/**
 * The browser-floor polyfills (src/lib/polyfills.ts) answer exactly as the native methods of a
 * current engine do, for any array, index and predicate; and install only where a method is missing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { at, findLast, findLastIndex, hasOwn, installPolyfills, stringAt, throwIfAborted } from '../../src/lib/polyfills.ts';

const index = fc.oneof(
	fc.integer({ min: -20, max: 20 }),
	fc.double(),
	fc.constantFrom(NaN, Infinity, -Infinity, -0, '2', '-1', 'x', undefined, null)
);

describe('browser-floor polyfills against the native methods', () => {
	it('Array.prototype.at and String.prototype.at', () => {
		fc.assert(
			fc.property(fc.array(fc.anything(), { maxLength: 12 }), index, (array, i) => {
				expect(at.call(array, i)).toStrictEqual(array.at(i as number));
				expect(at.call(new Int16Array(array.length), i)).toStrictEqual(new Int16Array(array.length).at(i as number));
			})
		);
		fc.assert(
			fc.property(fc.string({ maxLength: 12 }), index, (s, i) => {
				expect(stringAt.call(s, i)).toStrictEqual(s.at(i as number));
			})
		);
		expect(at.call({ length: 2, 0: 'a', 1: 'b' }, -1)).toBe('b');
		expect(() => at.call(null, 0)).toThrow(TypeError);
	});

	it('findLast and findLastIndex, with the index and the array passed to the predicate', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 12 }), fc.integer({ min: 0, max: 9 }), (array, wanted) => {
				const seen: [number, number][] = [];
				const predicate = (v: unknown, i: number, o: unknown) => {
					expect(o).toBe(array);
					seen.push([v as number, i]);
					return v === wanted;
				};
				const nativeSeen: [number, number][] = [];
				const expected = array.findLast((v, i) => (nativeSeen.push([v, i]), v === wanted));
				expect(findLast.call(array, predicate)).toBe(expected);
				expect(seen).toEqual(nativeSeen);
				expect(findLastIndex.call(array, (v) => v === wanted)).toBe(array.findLastIndex((v) => v === wanted));
			})
		);
		expect(
			findLast.call(
				[1, 2],
				function (this: { n: number }, v) {
					return v === this.n;
				},
				{ n: 1 }
			)
		).toBe(1);
		expect(() => findLast.call([1], 'nope' as never)).toThrow(TypeError);
	});

	it('Object.hasOwn', () => {
		const proto = { inherited: 1 };
		const object = Object.assign(Object.create(proto), { own: 1, [Symbol.for('s')]: 2 });
		for (const key of ['own', 'inherited', 'missing', Symbol.for('s')]) expect(hasOwn(object, key)).toBe(Object.hasOwn(object, key));
		expect(hasOwn('abc', 'length')).toBe(true);
		expect(() => hasOwn(null, 'x')).toThrow(TypeError);
	});

	it('AbortSignal.prototype.throwIfAborted', () => {
		const controller = new AbortController();
		expect(() => throwIfAborted.call(controller.signal)).not.toThrow();
		controller.abort(new Error('stopped'));
		expect(() => throwIfAborted.call(controller.signal)).toThrow('stopped');
	});

	it('installs only what is missing, as a non-enumerable method', () => {
		const native = Array.prototype.at;
		installPolyfills();
		expect(Array.prototype.at).toBe(native);
		const descriptor = Object.getOwnPropertyDescriptor(Array.prototype, 'findLast')!;
		delete (Array.prototype as { findLast?: unknown }).findLast;
		try {
			installPolyfills();
			expect(Array.prototype.findLast).toBe(findLast);
			expect(Object.keys([1, 2])).toEqual(['0', '1']);
			expect([1, 2, 3].findLast((v) => v < 3)).toBe(2);
		} finally {
			Object.defineProperty(Array.prototype, 'findLast', descriptor);
		}
	});
});
