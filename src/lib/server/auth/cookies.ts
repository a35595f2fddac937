import type { RequestEvent } from '@sveltejs/kit';
export const ELDER_COOKIE = 'yishi_elder';
import { SESSION_COOKIE } from './sessions.ts';

/** HttpOnly; SameSite=Lax; Secure whenever the request came over TLS (SvelteKit decides from the URL). */
export function setSessionCookie(event: RequestEvent, token: string, expiresAt: number): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: new Date(expiresAt),
		path: '/'
	});
}

export function deleteSessionCookie(event: RequestEvent): void {
	event.cookies.set(SESSION_COOKIE, '', {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: 0,
		path: '/'
	});
}
