import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { listSessions, sessionForm } from '$lib/server/agenda';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(async () => ({
		sessions: await listSessions(getDatabase(), actor),
		canCreate: (await sessionForm(getDatabase(), actor)).compounds.length > 0
	}));
};
