import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { registerAccount } from '$lib/server/auth/accounts';
import { signIn } from '$lib/server/auth/sign-in';
import { act, formValues } from '$lib/server/http';
import { safeNext } from '$lib/server/navigation';

export const load: PageServerLoad = async ({ url }) => ({ next: safeNext(url.searchParams.get('next')) });

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = formValues(data, ['login', 'displayName', 'next']);
		const result = await act(async () => {
			const user = await registerAccount(getDatabase(), { ...values, password: String(data.get('password') ?? '') });
			await signIn(event, user.id);
		}, values);
		if (result) return result;
		redirect(303, safeNext(values.next));
	}
};
