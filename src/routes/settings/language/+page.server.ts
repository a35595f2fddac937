import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { LANGUAGE_COOKIE, localeOf } from '$lib/server/i18n';
import { safeNext } from '$lib/server/navigation';

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const data = await request.formData();
		const lang = data.get('lang');
		const locale = localeOf(typeof lang === 'string' ? lang : undefined);
		// Remembered for a year and read by the server, so every page is rendered in this language from the first
		// byte. Readable by the page's script too: Paraglide's cookie strategy reads it in the browser.
		cookies.set(LANGUAGE_COOKIE, locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 365 * 24 * 3600 });
		redirect(303, safeNext(data.get('next')));
	}
};
