import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { isBusyError, writeEpoch } from '$lib/server/db/write-queue';
import { cachedRecordPage, liveVersion, recordIdOfKey, recordPageKey, storeRecordPage } from '$lib/server/records/page-cache';
import { getDatabase } from '$lib/server/db/client';
import { SESSION_COOKIE, validateSessionAndActor } from '$lib/server/auth/sessions';
import { setSessionCookie, deleteSessionCookie, ELDER_COOKIE } from '$lib/server/auth/cookies';
import { registerRuntime } from '$lib/server/ops/runtime';
import { guardRequestBody, refuseNonFormBody } from '$lib/server/http';
import { LANGUAGE_COOKIE, localeOf, withLocale } from '$lib/server/i18n';
import { inlineWordsScript } from '$lib/server/words';
import { m } from '$lib/paraglide/messages';

/** Gives the Node entry (build/server.js) this bundle's database, /collab and shutdown: see ops/registry.ts. */
export const init: ServerInit = () => {
	registerRuntime();
};

/** Every request runs in its reader's language (cookie `yishi_lang`; 简体中文 without one): see server/i18n.ts. */
export const handle: Handle = (input) => {
	const locale = localeOf(input.event.cookies.get(LANGUAGE_COOKIE));
	input.event.locals.locale = locale;
	return withLocale(locale, () => handleInLocale(input));
};

const handleInLocale: Handle = async ({ event, resolve }) => {
	// Bodies that are not forms, or cannot be read, are the sender's mistake (400), never a 500.
	const refusal = refuseNonFormBody(event.request, event.url.pathname);
	if (refusal) return refusal;
	guardRequestBody(event.request, event.url.pathname);
	event.locals.elderMode = event.cookies.get(ELDER_COOKIE) === '1';
	event.locals.user = null;
	event.locals.session = null;
	event.locals.actor = null;

	const token = event.cookies.get(SESSION_COOKIE);
	// Anonymous views of published records are served from a short-lived cache (see page-cache.ts).
	const pageKey = recordPageKey(event, token !== undefined, event.locals.elderMode, event.locals.locale);
	const epoch = writeEpoch();
	const pageVersion = pageKey !== null ? await liveVersion(getDatabase(), recordIdOfKey(pageKey)) : null;
	if (pageKey !== null) {
		const hit = cachedRecordPage(pageKey, pageVersion);
		if (hit) return hit;
	}
	if (token) {
		const { session, user, actor, renewed } = await validateSessionAndActor(getDatabase(), token);
		if (session) {
			// The cookie expires with the session: it is sent again only when the session's expiry moved (sliding, at
			// most once per half window), not with every answer.
			if (renewed) setSessionCookie(event, token, session.expiresAt);
			event.locals.session = session;
			event.locals.user = user;
			event.locals.actor = { actor, epoch };
		} else {
			deleteSessionCookie(event);
		}
	}

	// Elder mode is rendered by the server, so the first paint is already large.
	const htmlClass = event.locals.elderMode ? 'elder' : '';
	const response = await resolve(event, {
		transformPageChunk: ({ html }) =>
			html
				.replace('%yishi.htmlclass%', htmlClass)
				.replace('%yishi.lang%', event.locals.locale)
				// A page that runs in the browser (SvelteKit's start script is in it) gets its words with it.
				.replace('%yishi.words%', () =>
					event.locals.inlineWords && html.includes('kit.start(') ? inlineWordsScript(event.locals.inlineWords) : ''
				)
	});
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	return pageKey !== null ? storeRecordPage(pageKey, pageVersion, epoch, response) : response;
};

/**
 * Unexpected errors: logged with an id, shown to people as a plain Chinese message. A database
 * that stays locked or a disk that refuses writes gets its own words, since retrying later helps.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = crypto.randomUUID().slice(0, 8);
	if (status === 404) return { message: m.errors_page_not_found() };
	console.error(`[${id}] ${event.request.method} ${event.url.pathname} → ${status}`, error);
	// Drizzle wraps the driver's error: read the whole cause chain.
	let text = '';
	for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		text += ` ${(e as { code?: string }).code ?? ''} ${(e as { message?: string }).message ?? ''}`;
	}
	if (isBusyError(error)) return { message: m.errors_busy({ id }) };
	if (/SQLITE_(FULL|READONLY|IOERR|CANTOPEN)|disk is full|readonly database/i.test(text)) {
		return { message: m.errors_storage({ id }) };
	}
	return { message: m.errors_unexpected({ id }) };
};
