/**
 * The APIs newer than the browser floor — Android WeChat's XWEB (Chrome 89) and iOS 15's WKWebView —
 * that Yishi's browser code calls: SvelteKit's client (Object.hasOwn, on every page), Tiptap
 * (Array.prototype.at, findLast) and the roster check (AbortSignal.prototype.throwIfAborted).
 * Each is installed only where the browser lacks it, by src/hooks.client.ts before any page code.
 *
 * Why not core-js: its modules for the first four weigh 6.6 KB gzip (12.4 KB with structuredClone),
 * which puts the ballot page over its 50 KB budget on exactly the phones that need them; these
 * follow the specification's steps and weigh under 1 KB. The figures are in README (old WeChat
 * browsers). Yishi's own code does not call structuredClone (Svelte's $state.snapshot copies).
 * tests/unit/build-polyfills.test.ts compares each with the native one; the browser test
 * tests/e2e/reach-old-browser.test.ts deletes the natives and walks the main flows.
 */

/** ToIntegerOrInfinity, then relative to `length` (negative counts from the end). */
function relativeIndex(index: unknown, length: number): number {
	const n = Math.trunc(Number(index)) || 0;
	return n < 0 ? n + length : n;
}

function toObject(value: unknown): Record<PropertyKey, unknown> & { length?: unknown } {
	if (value === null || value === undefined) throw new TypeError('Cannot convert undefined or null to object');
	return Object(value);
}

function lengthOf(o: { length?: unknown }): number {
	const n = Math.trunc(Number(o.length)) || 0;
	return Math.min(Math.max(n, 0), Number.MAX_SAFE_INTEGER);
}

/** Array.prototype.at and TypedArray.prototype.at (Chrome 92, Safari 15.4). */
export function at(this: unknown, index: unknown): unknown {
	const o = toObject(this);
	const k = relativeIndex(index, lengthOf(o));
	return k < 0 || k >= lengthOf(o) ? undefined : o[k];
}

/** String.prototype.at (Chrome 92, Safari 15.4). */
export function stringAt(this: unknown, index: unknown): string | undefined {
	if (this === null || this === undefined) throw new TypeError('String.prototype.at called on null or undefined');
	const s = String(this);
	const k = relativeIndex(index, s.length);
	return k < 0 || k >= s.length ? undefined : s.charAt(k);
}

type Predicate = (value: unknown, index: number, object: unknown) => unknown;

/** Array.prototype.findLast (Chrome 97, Safari 15.4). */
export function findLast(this: unknown, predicate: Predicate, thisArg?: unknown): unknown {
	const o = toObject(this);
	if (typeof predicate !== 'function') throw new TypeError(`${String(predicate)} is not a function`);
	for (let i = lengthOf(o) - 1; i >= 0; i--) if (predicate.call(thisArg, o[i], i, o)) return o[i];
	return undefined;
}

/** Array.prototype.findLastIndex (Chrome 97, Safari 15.4). */
export function findLastIndex(this: unknown, predicate: Predicate, thisArg?: unknown): number {
	const o = toObject(this);
	if (typeof predicate !== 'function') throw new TypeError(`${String(predicate)} is not a function`);
	for (let i = lengthOf(o) - 1; i >= 0; i--) if (predicate.call(thisArg, o[i], i, o)) return i;
	return -1;
}

/** Object.hasOwn (Chrome 93, Safari 15.4). */
export function hasOwn(object: unknown, key: PropertyKey): boolean {
	return Object.prototype.hasOwnProperty.call(toObject(object), key);
}

/** AbortSignal.prototype.throwIfAborted (Chrome 100, Safari 15.4). */
export function throwIfAborted(this: AbortSignal): void {
	if (this.aborted)
		throw (this as AbortSignal & { reason?: unknown }).reason ?? new DOMException('signal is aborted without reason', 'AbortError');
}

/** Adds `value` as a method the way built-ins are: writable, configurable, not enumerable. */
function provide(target: object | undefined, name: string, value: unknown): void {
	if (target && !(name in target)) Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

export function installPolyfills(): void {
	provide(Array.prototype, 'at', at);
	provide(Array.prototype, 'findLast', findLast);
	provide(Array.prototype, 'findLastIndex', findLastIndex);
	if (typeof Int8Array !== 'undefined') {
		const typedArray = Object.getPrototypeOf(Int8Array.prototype) as object;
		provide(typedArray, 'at', at);
		provide(typedArray, 'findLast', findLast);
		provide(typedArray, 'findLastIndex', findLastIndex);
	}
	provide(String.prototype, 'at', stringAt);
	provide(Object, 'hasOwn', hasOwn);
	if (typeof AbortSignal !== 'undefined') provide(AbortSignal.prototype, 'throwIfAborted', throwIfAborted);
}
