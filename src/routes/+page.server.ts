import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { unitsOfUser } from '$lib/server/roster';
import { requireActor } from '$lib/server/require-user';
import { personalHome, publicHome } from '$lib/server/notifications';

export const load: PageServerLoad = async (event) => {
	const database = getDatabase();
	if (!event.locals.user) return { myUnits: [], home: null, publicHome: await publicHome(database) };
	const actor = await requireActor(event);
	const [myUnits, home] = await Promise.all([unitsOfUser(database, event.locals.user.id), personalHome(database, actor)]);
	return { myUnits, home, publicHome: null };
};
