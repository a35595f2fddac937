import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { ballotsForOwner } from '$lib/server/voting';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { ballots: await ballotsForOwner(getDatabase(), actor), isOwner: actor.memberships.some((m) => m.relation === 'owner') };
};
