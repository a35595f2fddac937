import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { unitsOfUser } from '$lib/server/roster';
import { grantsOfUser } from '$lib/server/communities/staff';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const database = getDatabase();
	return {
		myUnits: await unitsOfUser(database, locals.user.id),
		roles: await grantsOfUser(database, locals.user.id)
	};
};
