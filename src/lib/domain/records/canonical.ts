/**
 * Canonical JSON for published records: object keys sorted by code point, no whitespace, only
 * strings, booleans, null, arrays, objects and safe integers. A float, NaN, undefined or a
 * non-plain value is refused rather than silently rounded: the hash must mean exactly one text.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

export class CanonicalJsonError extends Error {
	constructor(
		readonly path: string,
		reason: string
	) {
		super(`canonical JSON: ${path}: ${reason}`);
		this.name = 'CanonicalJsonError';
	}
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function write(value: unknown, path: string, out: string[]): void {
	if (value === null) return void out.push('null');
	switch (typeof value) {
		case 'boolean':
			return void out.push(value ? 'true' : 'false');
		case 'string':
			return void out.push(JSON.stringify(value.normalize('NFC')));
		case 'number':
			if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(path, `only safe integers are allowed, got ${value}`);
			return void out.push(Object.is(value, -0) ? '0' : String(value));
		case 'object': {
			if (Array.isArray(value)) {
				out.push('[');
				value.forEach((item, i) => {
					if (i > 0) out.push(',');
					write(item, `${path}[${i}]`, out);
				});
				return void out.push(']');
			}
			const proto = Object.getPrototypeOf(value);
			if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(path, 'only plain objects are allowed');
			const keys = Object.keys(value as object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
			out.push('{');
			let first = true;
			for (const key of keys) {
				const item = (value as Record<string, unknown>)[key];
				if (item === undefined) throw new CanonicalJsonError(`${path}.${key}`, 'undefined is not JSON');
				if (!first) out.push(',');
				first = false;
				out.push(JSON.stringify(key), ':');
				write(item, `${path}.${key}`, out);
			}
			return void out.push('}');
		}
		default:
			throw new CanonicalJsonError(path, `${typeof value} is not JSON`);
	}
}

/** The one text of a value: equal values give equal text on every machine. */
export function canonicalJson(value: unknown): string {
	const out: string[] = [];
	write(value, '$', out);
	return out.join('');
}

export function sha256Hex(text: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/** SHA-256 of the canonical JSON of a value. */
export function hashCanonical(value: unknown): string {
	return sha256Hex(canonicalJson(value));
}
