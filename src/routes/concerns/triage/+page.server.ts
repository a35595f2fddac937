import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { triageQueue } from '$lib/server/concerns';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { queue: await guard(() => triageQueue(getDatabase(), actor)) };
};
