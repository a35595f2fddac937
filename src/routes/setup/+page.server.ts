import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { ADMIN_MIN_PASSWORD, completeSetup, setupState } from '$lib/server/admin/setup';
import { signIn } from '$lib/server/auth/sign-in';
import { act, formValues } from '$lib/server/http';

/** 首次设置: the one-time link the server prints while no administrator exists. */
export const load: PageServerLoad = async ({ url }) => {
	const token = url.searchParams.get('t');
	return { state: await setupState(getDatabase(), token), token: token ?? '', minPassword: ADMIN_MIN_PASSWORD };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = formValues(data, ['login', 'displayName', 't']);
		const result = await act(async () => {
			const { userId } = await completeSetup(getDatabase(), values.t, {
				login: values.login,
				displayName: values.displayName,
				password: String(data.get('password') ?? ''),
				confirm: String(data.get('confirm') ?? '')
			});
			await signIn(event, userId);
		}, values);
		if (result) return result;
		redirect(303, '/admin?welcome=1');
	}
};
