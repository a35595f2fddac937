import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { listConcerns, triageQueue } from '$lib/server/concerns';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	return guard(async () => ({
		concerns: await listConcerns(database, actor),
		queued: (await triageQueue(database, actor)).length,
		canRaise: actor.memberships.length > 0 || actor.grants.length > 0
	}));
};
