import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import { fileObjection, getPublicRecord, rateOutcome } from '$lib/server/records';

/** Public, light and fast: server-rendered, no JavaScript needed (forms post plainly). */
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const record = await guard(() => getPublicRecord(getDatabase(), params.id));
	return { record, signedIn: locals.user !== null };
};

export const actions: Actions = {
	object: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const text = String(data.get('text') ?? '');
		const done = await act(() => fileObjection(getDatabase(), actor, { recordId: event.params.id, text }), { text });
		return 'objectionId' in (done as object) ? { objected: true } : done;
	},
	rate: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const input = { itemId: String(data.get('itemId') ?? ''), rating: String(data.get('rating') ?? ''), comment: String(data.get('comment') ?? '') };
		const done = await act(() => rateOutcome(getDatabase(), actor, input), { comment: input.comment });
		return done === undefined ? { rated: true } : done;
	}
};
