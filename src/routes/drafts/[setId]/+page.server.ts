import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor, signedInLoad } from '$lib/server/require-user';
import { act } from '$lib/server/http';
import { canFreezeDrafting, freezeDrafting, getFrozenText, listAlternatives } from '$lib/server/drafting';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
	const { set, alternatives, canEdit } = await listAlternatives(database, actor, event.params.setId);
	const frozen = set.phase === 'frozen' ? await Promise.all(alternatives.map((a) => getFrozenText(database, actor, a.id))) : [];
	return { set, alternatives, canEdit, canFreeze: await canFreezeDrafting(database, actor, set.id), frozen };
});

export const actions: Actions = {
	/** 定稿: fixes every alternative's text and hash; nobody edits afterwards. */
	freeze: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		if (data.get('confirm') !== 'on')
			return fail(400, { message: m.draft_freeze_tick_first(), fields: { confirm: m.draft_please_tick() } });
		return act(async () => ({ frozen: await freezeDrafting(getDatabase(), actor, event.params.setId) }));
	}
};
