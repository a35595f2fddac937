import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { formAction } from '$lib/server/forms';
import { grantRole, grantsManagedBy, revokeGrant, scopeChoices } from '$lib/server/admin/grants';
import { requireAdminArea } from '../access';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	requireAdminArea(actor);
	const database = getDatabase();
	return {
		me: actor.userId,
		choices: await scopeChoices(database, actor),
		grants: await grantsManagedBy(database, actor)
	};
};

export const actions: Actions = {
	grant: formAction(
		{ fields: ['login', 'role', 'scopeId', 'from', 'to'], form: 'grant', ok: () => m.admin_grants_done() },
		({ database, actor, values }) =>
			grantRole(database, actor, {
				login: values.login,
				role: values.role,
				scopeId: values.scopeId,
				from: values.from,
				to: values.to
			})
	),
	revoke: formAction({ fields: ['grantId'], form: 'revoke', ok: () => m.admin_grants_revoked() }, (c) =>
		revokeGrant(c.database, c.actor, c.values.grantId)
	)
};
