import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { authenticate } from '$lib/server/auth/accounts';
import { signIn } from '$lib/server/auth/sign-in';
import { act, formValues } from '$lib/server/http';
import { safeNext } from '$lib/server/navigation';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = formValues(data, ['login', 'next']);
		// Kept through a failed try too (the form may have come from the sign-up page, without ?next=).
		values.next = safeNext(values.next);
		const result = await act(async () => {
			const user = await authenticate(getDatabase(), values.login, String(data.get('password') ?? ''), event.getClientAddress());
			await signIn(event, user.id);
		}, values);
		if (result) return result;
		redirect(303, values.next);
	}
};
