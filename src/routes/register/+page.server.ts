import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { registerAccount } from '$lib/server/auth/accounts';
import { act, formValues } from '$lib/server/http';
import { safeNext } from '$lib/server/navigation';

export const load: PageServerLoad = async ({ url }) => ({ next: safeNext(url.searchParams.get('next')) });

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = formValues(data, ['login', 'displayName', 'next']);
		const result = await act(async () => {
			// A taken login gets this same answer (see registerAccount): the outcome is deliberately not used.
			await registerAccount(getDatabase(), { ...values, password: String(data.get('password') ?? '') }, event.getClientAddress());
			return { registered: true as const, login: values.login, next: safeNext(values.next) };
		}, values);
		return result;
	}
};
