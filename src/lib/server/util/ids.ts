import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A random identifier: 80 bits, base32, URL-safe. */
export function newId(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}
