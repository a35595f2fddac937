import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import { revokeCodesOfUnit } from '$lib/server/communities/verification';
import { compoundOverview } from '$lib/server/communities/overview';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(() =>
		compoundOverview(getDatabase(), actor, event.params.id, {
			buildingId: event.url.searchParams.get('b') ?? undefined,
			room: event.url.searchParams.get('q') ?? undefined
		})
	);
};

export const actions: Actions = {
	/** 作废: a lost or misdelivered letter stops working; the audit log records who did it. */
	revoke: async (event) => {
		const actor = await requireActor(event);
		const unitId = String((await event.request.formData()).get('unitId') ?? '');
		return act(async () => {
			const n = await revokeCodesOfUnit(getDatabase(), actor, unitId);
			return { done: n > 0 ? m.admin_roster_revoked() : m.admin_roster_nothing_to_revoke() };
		});
	}
};
