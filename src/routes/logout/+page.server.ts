import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { invalidateAllSessions, invalidateSession } from '$lib/server/auth/sessions';
import { deleteSessionCookie } from '$lib/server/auth/cookies';

export const load: PageServerLoad = async () => redirect(303, '/account');

// Named only: SvelteKit refuses (500) every post to a page whose actions mix `default` with named ones.
export const actions: Actions = {
	here: async (event) => {
		if (event.locals.session) await invalidateSession(getDatabase(), event.locals.session.id);
		deleteSessionCookie(event);
		redirect(303, '/');
	},
	everywhere: async (event) => {
		if (event.locals.user) await invalidateAllSessions(getDatabase(), event.locals.user.id);
		deleteSessionCookie(event);
		redirect(303, '/login');
	}
};
