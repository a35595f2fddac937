import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { digest, pendingActions } from '$lib/server/notifications';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(async () => ({ pending: await pendingActions(getDatabase(), actor), digest: await digest(getDatabase(), actor) }));
};
