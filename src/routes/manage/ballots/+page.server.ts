import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { compoundsManagedBy } from '$lib/server/communities/staff';
import { ballotsForStaff } from '$lib/server/voting';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const compounds = await compoundsManagedBy(database, actor);
	return {
		ballots: await ballotsForStaff(
			database,
			actor,
			compounds.map((c) => c.id)
		),
		canCreate: compounds.length > 0
	};
};
