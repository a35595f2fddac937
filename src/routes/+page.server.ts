import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { unitsOfUser } from '$lib/server/communities/units';

export const load: PageServerLoad = async ({ locals }) => ({
	myUnits: locals.user ? await unitsOfUser(getDatabase(), locals.user.id) : []
});
