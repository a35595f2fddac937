import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { compoundOverview } from '$lib/server/communities/overview';
import { issueLetters, reissueLetter } from '$lib/server/communities/letters';
import { originNeededMessage, publicOrigin } from '$lib/server/public-origin';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const overview = await guard(() => compoundOverview(getDatabase(), actor, event.params.id, {}));
	return {
		compound: overview.compound,
		buildings: overview.buildings,
		originMessage: publicOrigin(event.url) === null ? originNeededMessage() : null
	};
};

export const actions: Actions = {
	issue: async (event) => {
		const actor = await requireActor(event);
		const values = { ...formValues(await event.request.formData(), ['building', 'kind']), section: 'issue' };
		const kind = values.kind === 'resident' ? 'resident' : 'owner';
		return act(
			() =>
				issueLetters(getDatabase(), actor, event.params.id, { buildingId: values.building, kind, origin: publicOrigin(event.url) }),
			values
		);
	},
	/** 补发核验信: one unit, with a reason; the verified owner keeps their binding. */
	reissue: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['building', 'room', 'reason']);
		return act(
			async () => ({
				reissued: await reissueLetter(getDatabase(), actor, event.params.id, {
					buildingId: values.building,
					room: values.room,
					reason: values.reason,
					origin: publicOrigin(event.url)
				})
			}),
			values
		);
	}
};
