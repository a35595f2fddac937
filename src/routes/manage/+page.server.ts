import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { compoundsManagedBy, grantsOfUser } from '$lib/server/communities/staff';
import { latestRosterVersion } from '$lib/server/roster';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const compounds = await compoundsManagedBy(database, actor);
	return {
		roles: await grantsOfUser(database, actor.userId),
		compounds: await Promise.all(
			compounds.map(async (c) => {
				const v = await latestRosterVersion(database, c.id);
				return { id: c.id, name: c.name, units: v?.unitCount ?? 0, versionNo: v?.versionNo ?? 0 };
			})
		)
	};
};
