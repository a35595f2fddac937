import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { createSession, sessionForm } from '$lib/server/agenda';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { form: await guard(() => sessionForm(getDatabase(), actor)), concernId: event.url.searchParams.get('concern') ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const compoundIds = data.getAll('compoundIds').map(String);
		// The ticked compounds come back with a refusal, like every typed field.
		const values = { ...formValues(data, ['title', 'kind', 'concernId', 'facilitatorLogin']), compoundIds: compoundIds.join(',') };
		const input = {
			title: values.title,
			kind: values.kind,
			facilitatorLogin: values.facilitatorLogin,
			compoundIds,
			concernId: values.concernId || null
		};
		const result = await act(() => createSession(getDatabase(), actor, input), values);
		if (result && 'sessionId' in result) redirect(303, `/sessions/${result.sessionId}`);
		return result;
	}
};
