import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { ballotsDoneBy, ballotsForOwner } from '$lib/server/voting';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const ballots = await ballotsForOwner(database, actor);
	const voted = await ballotsDoneBy(
		database,
		actor,
		ballots.map((b) => b.id)
	);
	return {
		ballots: ballots.map((b) => ({ ...b, voted: voted.has(b.id) })),
		isOwner: actor.memberships.some((m) => m.relation === 'owner')
	};
};
