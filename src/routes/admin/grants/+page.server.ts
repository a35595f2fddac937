import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues } from '$lib/server/http';
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
	grant: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['login', 'role', 'scopeId', 'from', 'to']);
		return act(
			async () => {
				await grantRole(getDatabase(), actor, values);
				return { _form: 'grant', ok: m.admin_grants_done() };
			},
			{ ...values, _form: 'grant' }
		);
	},
	revoke: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['grantId']);
		return act(
			async () => {
				await revokeGrant(getDatabase(), actor, values.grantId);
				return { _form: 'revoke', ok: m.admin_grants_revoked() };
			},
			{ ...values, _form: 'revoke' }
		);
	}
};
