import type { Handle } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/client';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/sessions';
import { setSessionCookie, deleteSessionCookie, ELDER_COOKIE } from '$lib/server/auth/cookies';



export const handle: Handle = async ({ event, resolve }) => {
	event.locals.elderMode = event.cookies.get(ELDER_COOKIE) === '1';
	event.locals.user = null;
	event.locals.session = null;

	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { session, user } = await validateSessionToken(getDatabase(), token);
		if (session) {
			setSessionCookie(event, token, session.expiresAt);
			event.locals.session = session;
			event.locals.user = user;
		} else {
			deleteSessionCookie(event);
		}
	}

	// Elder mode is rendered by the server, so the first paint is already large.
	const htmlClass = event.locals.elderMode ? 'elder' : '';
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%yishi.htmlclass%', htmlClass)
	});
};
