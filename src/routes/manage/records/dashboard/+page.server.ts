import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { dashboard } from '$lib/server/records';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { panels: await guard(() => dashboard(getDatabase(), actor)) };
};
