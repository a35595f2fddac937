/**
 * Where a redirect built from input (`next=` after login, registration or a setting change) may
 * go: a path on this site, never another host. Pure: no I/O, runs in server and browser alike.
 *
 * Browsers forgive a lot in a Location header — they drop tabs and newlines (`/\t/evil.com` is
 * `//evil.com`), read `\` as `/`, resolve `/..//evil.com` to `//evil.com` — and Node refuses a
 * header with a control character (a 500). So the value is accepted only if neither it nor any
 * percent-decoding of it holds a backslash, whitespace or a control character, or starts with two
 * slashes; the answer is then re-serialised by the URL parser (non-ASCII percent-encoded, dot
 * segments resolved) and that serialised form is checked again.
 */
export const DEFAULT_REDIRECT = '/';

/** Longer targets are not links a person followed; they are refused rather than echoed. */
const MAX_LENGTH = 2048;
/** Any origin works: only whether the result stays on it matters. */
const PROBE_ORIGIN = 'http://yishi.invalid';
/** Whitespace, C0/C1 controls, and invisible format characters (zero-width, bidi overrides). */
const FORBIDDEN = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]/u;

export function safeRedirectPath(value: unknown, fallback: string = DEFAULT_REDIRECT): string {
	if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
	if (!isPlainPath(value)) return fallback;
	// Every decoding layer must be a plain path too: `/%2F%2Fx`, `/%09/x`, `/%255C%255Cx`.
	let decoded = value;
	for (let layer = 0; layer < 4; layer++) {
		let next: string;
		try {
			next = decodeURIComponent(decoded);
		} catch {
			return fallback;
		}
		if (next === decoded) break;
		if (!isPlainPath(next)) return fallback;
		decoded = next;
	}
	let url: URL;
	try {
		url = new URL(value, PROBE_ORIGIN);
	} catch {
		return fallback;
	}
	if (url.origin !== PROBE_ORIGIN) return fallback;
	const serialised = url.pathname + url.search + url.hash;
	return isPlainPath(serialised) ? serialised : fallback;
}

function isPlainPath(value: string): boolean {
	return value.startsWith('/') && !value.startsWith('//') && !FORBIDDEN.test(value);
}
