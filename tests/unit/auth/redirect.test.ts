import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../../src/lib/domain/auth/redirect.ts';

const ORIGIN = 'https://yishi.example.org';

/** What a browser does with the Location header: it must land on the same site. */
function landsOnSite(target: string): boolean {
	// Browsers strip tabs and newlines before parsing; the check does the same so it cannot be fooled by them.
	const url = new URL(target.replace(/[\t\n\r]/g, ''), ORIGIN);
	return url.origin === ORIGIN;
}

describe('safeRedirectPath', () => {
	it.each([
		['/', '/'],
		['/claim?c=ABCD2345', '/claim?c=ABCD2345'],
		['/concerns/abc#comments', '/concerns/abc#comments'],
		['/sessions/s1/items/i2?tab=debate&x=1', '/sessions/s1/items/i2?tab=debate&x=1'],
		['/concerns/议题', '/concerns/%E8%AE%AE%E9%A2%98']
	])('keeps the same-site path %s', (input, expected) => {
		expect(safeRedirectPath(input)).toBe(expected);
	});

	it.each([
		'//evil.com',
		'///evil.com',
		'/\\evil.com',
		'/\\\\evil',
		'\\\\evil.com',
		'/\t/evil.com',
		'/\n/evil.com',
		'/\r\n/evil.com',
		'/%09/evil.com',
		'/%0a/evil.com',
		'/%0d%0aSet-Cookie:%20x=1',
		'/\r\nSet-Cookie: x=1',
		'/%2F%2Fevil.com',
		'/%2f/evil.com',
		'/%5Cevil.com',
		'/%255C%255Cevil.com',
		'/%252F%252Fevil.com',
		'/..//evil.com',
		'/.//evil.com',
		'/%2e%2e//evil.com',
		'/ /evil.com',
		'/\u200b/evil.com',
		'/\u2028/evil.com',
		'/%E2%80%8B/evil.com',
		'https://evil.com',
		'http:/evil.com',
		'javascript:alert(1)',
		'evil.com',
		'',
		' /path',
		'/%',
		'/%E0%A4%A',
		`/${'a'.repeat(3000)}`
	])('refuses %j', (input) => {
		expect(safeRedirectPath(input)).toBe('/');
	});

	it('refuses anything that is not a string', () => {
		for (const input of [null, undefined, 42, {}, ['/x']]) expect(safeRedirectPath(input)).toBe('/');
	});

	it('uses the given fallback', () => {
		expect(safeRedirectPath('//evil.com', '/account')).toBe('/account');
	});

	/** Pieces that redirect tricks are made of, shuffled by fast-check into hostile strings. */
	const piece = fc.constantFrom(
		'/',
		'//',
		'\\',
		'%2F',
		'%2f',
		'%5C',
		'%5c',
		'%25',
		'%252F',
		'%09',
		'%0a',
		'%0D',
		'%00',
		'\t',
		'\n',
		'\r',
		' ',
		'\u0000',
		'\u200b',
		'\u2028',
		'\u00a0',
		'%E2%80%8B',
		'.',
		'..',
		'%2e',
		'@',
		':',
		'?',
		'#',
		'&',
		'evil.com',
		'http:',
		'https:',
		'javascript:',
		'x',
		'议',
		'%',
		'%E8',
		'\ud800'
	);
	const hostile = fc.oneof(
		fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
		fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join('')}`),
		fc.string({ unit: 'binary', maxLength: 40 }),
		fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`)
	);

	it('always answers a same-origin path, whatever it is given', () => {
		fc.assert(
			fc.property(hostile, (input) => {
				const result = safeRedirectPath(input);
				expect(result.startsWith('/')).toBe(true);
				expect(result.startsWith('//')).toBe(false);
				expect(result).not.toMatch(/[\\\s\p{Cc}]/u);
				expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
				expect(landsOnSite(result)).toBe(true);
				// Safe to put in a header: printable ASCII only.
				expect(result).toMatch(/^[\x21-\x7e]+$/);
			}),
			{ numRuns: 5000 }
		);
	});

	it('is idempotent: a kept path is kept as it is', () => {
		fc.assert(
			fc.property(hostile, (input) => {
				const once = safeRedirectPath(input);
				expect(safeRedirectPath(once)).toBe(once);
			}),
			{ numRuns: 2000 }
		);
	});
});
