import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { claimCode } from '$lib/server/communities/verification';
import { unitsOfUser } from '$lib/server/roster';
import { act } from '$lib/server/http';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async ({ url }) => ({ code: url.searchParams.get('c') ?? '' });

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const code = String(data.get('code') ?? '');
		if (!event.locals.user) return { message: m.claim_login_needed(), values: { code }, fields: {} as Record<string, string> };
		const userId = event.locals.user.id;
		return act(
			async () => {
				const claimed = await claimCode(getDatabase(), userId, code, event.getClientAddress());
				const unit = (await unitsOfUser(getDatabase(), userId)).find((u) => u.unitId === claimed.unitId);
				return {
					claimed: {
						...claimed,
						label: unit ? m.unit_address({ compound: unit.compoundName, building: unit.buildingName, room: unit.room }) : ''
					}
				};
			},
			{ code }
		);
	}
};
