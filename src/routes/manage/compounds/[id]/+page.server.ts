import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { compoundOverview } from '$lib/server/communities/overview';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(() =>
		compoundOverview(getDatabase(), actor, event.params.id, {
			buildingId: event.url.searchParams.get('b') ?? undefined,
			room: event.url.searchParams.get('q') ?? undefined
		})
	);
};
