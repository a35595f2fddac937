import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { moderationLog } from '$lib/server/deliberation';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { log: await guard(() => moderationLog(getDatabase(), actor, event.params.id)), sessionId: event.params.id };
};
