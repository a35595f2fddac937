import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { concernForm, raiseConcern } from '$lib/server/concerns';
import { bodyTooLarge, isBodyTooLarge, photoLimitProblem } from '$lib/server/concerns/photos';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(() => concernForm(getDatabase(), actor));
};

export const actions: Actions = {
	default: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData().catch((e) => {
			if (isBodyTooLarge(e)) return null;
			throw e;
		});
		if (!data) return fail(413, { message: bodyTooLarge(), fields: { photos: bodyTooLarge() }, values: {} as Record<string, string> });
		const files = data.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
		// Everything typed comes back on a refusal; the photos cannot (a page load empties a file field), so say how many.
		const values = {
			...formValues(data, ['title', 'body', 'category', 'location', 'compoundId']),
			alsoAffects: data.getAll('alsoAffects').map(String).join(','),
			photoCount: String(files.length)
		};
		const tooLarge = photoLimitProblem(files);
		if (tooLarge) return fail(413, { message: tooLarge, fields: { photos: tooLarge }, values });
		const result = await act(async () => {
			const photos = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
			return raiseConcern(getDatabase(), actor, {
				title: values.title,
				body: values.body,
				category: values.category,
				location: values.location,
				compoundId: values.compoundId,
				alsoAffects: data.getAll('alsoAffects').map(String),
				photos
			});
		}, values);
		if (result && 'concernId' in result) redirect(303, `/concerns/${result.concernId}`);
		return result;
	}
};
