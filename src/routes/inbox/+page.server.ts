import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act } from '$lib/server/http';
import { inbox, markRead } from '$lib/server/notifications';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return inbox(getDatabase(), actor);
};

export const actions: Actions = {
	read: async (event) => {
		const actor = await requireActor(event);
		return act(async () => (await markRead(getDatabase(), actor), { ok: m.inbox_marked_all_read() }));
	}
};
