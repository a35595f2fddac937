import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { ELDER_COOKIE } from '$lib/server/auth/cookies';
import { safeNext } from '$lib/server/navigation';

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const data = await request.formData();
		const on = data.get('on') === '1';
		// Remembered for a year; read by the server so the first paint is already large.
		cookies.set(ELDER_COOKIE, on ? '1' : '0', { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 365 * 24 * 3600 });
		redirect(303, safeNext(data.get('next')));
	}
};
