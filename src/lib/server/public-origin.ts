/**
 * The one place that decides the public origin of absolute links: the Atom feed, the QR codes on
 * 公示 notices and verification letters, the `url`/`api` fields of the open-data API.
 *
 * The request's Host header is the client's to choose: a link built from it can point a printed QR
 * code, or a page a cache hands to others, at anybody's site. So:
 * - ORIGIN set (the normal case behind a proxy): always ORIGIN;
 * - ORIGIN unset: the request's own origin only when its host is a loopback or private LAN address
 *   (a 居委 laptop on the local network, the demo on localhost), where a forged host leads nowhere
 *   outside; otherwise no absolute link at all (callers use relative links, or refuse to print a
 *   QR code and ask for ORIGIN).
 */
import { m } from '../paraglide/messages.js';

/** Why a QR code cannot be printed, in the reader's language. */
export function originNeededMessage(): string {
	return m.origin_needed();
}

export const ORIGIN_UNSET_WARNING =
	'未设置 ORIGIN：二维码和订阅链接只在本机或局域网地址访问时生成。/ ' +
	'ORIGIN is not set: absolute links (QR codes, feed) are built only for loopback and private-network hosts.';

/** The configured public origin (ORIGIN), normalised, or null when unset or not a URL. */
export function configuredOrigin(env: Record<string, string | undefined> = process.env): string | null {
	const value = env.ORIGIN?.trim();
	if (!value) return null;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
	} catch {
		return null;
	}
}

function ipv4(hostname: string): number[] | null {
	const parts = hostname.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
	const bytes = parts.map(Number);
	return bytes.every((b) => b <= 255) ? bytes : null;
}

/**
 * Loopback or private LAN: 127.0.0.0/8, ::1, localhost, 10/8, 172.16/12, 192.168/16, *.local.
 * `hostname` as URL gives it (lower case, IPv6 in brackets).
 */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
	if (host.endsWith('.local') && host.length > '.local'.length) return true;
	const ip = ipv4(host);
	if (!ip) return false;
	const [a, b] = ip;
	return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

export interface PublicOrigin {
	/** The origin for absolute links, or null when none can be trusted. */
	origin: string | null;
	/** True when `origin` came from this request's Host: a response carrying it must not be shared. */
	fromRequest: boolean;
}

export function resolvePublicOrigin(url: URL, env: Record<string, string | undefined> = process.env): PublicOrigin {
	const configured = configuredOrigin(env);
	if (configured) return { origin: configured, fromRequest: false };
	if (isPrivateHost(url.hostname)) return { origin: url.origin, fromRequest: true };
	return { origin: null, fromRequest: false };
}

/** The origin for absolute links, or null (use relative links, or ask for ORIGIN). */
export function publicOrigin(url: URL): string | null {
	return resolvePublicOrigin(url).origin;
}

/**
 * Cache-Control for a response whose links come from publicOrigin: `shared` when every request
 * gets the same links, `private` when they carry this request's host.
 */
export function linkCacheControl(url: URL, shared: string): string {
	return resolvePublicOrigin(url).fromRequest ? 'private, max-age=60' : shared;
}
