import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import { sessionMeetings } from '$lib/server/deliberation';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(async () => ({
		session: await sessionView(getDatabase(), actor, event.params.id),
		meetings: await sessionMeetings(getDatabase(), event.params.id)
	}));
};
