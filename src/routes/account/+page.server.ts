import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { unitsOfUser } from '$lib/server/roster';
import { grantsOfUser } from '$lib/server/communities/staff';
import { roleLabel } from '$lib/domain/access/policy';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const database = getDatabase();
	return {
		myUnits: await unitsOfUser(database, locals.user.id),
		// The role's name in the reader's language (grantsOfUser's label is the Chinese one).
		roles: (await grantsOfUser(database, locals.user.id)).map((r) => ({ ...r, label: roleLabel(r.role) }))
	};
};
