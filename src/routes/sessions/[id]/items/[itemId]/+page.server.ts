import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { setItemLimits } from '$lib/server/agenda';
import { hidePost, itemDebate, postArgument, replyToArgument, restorePost } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { debate: await guard(() => itemDebate(getDatabase(), actor, event.params.itemId)) };
};

/** Hiding and restoring a post both answer next to the post. */
const postForm = (v: Record<string, string>) => `hide-${v.postId}`;

export const actions: Actions = {
	argue: formAction({ fields: ['stance', 'body'], form: 'argue', ok: m.delib_ok_posted() }, ({ database, actor, values, params }) =>
		postArgument(database, actor, params.itemId, { stance: values.stance, body: values.body })
	),
	reply: formAction({ fields: ['parentId', 'body'], form: (v) => `reply-${v.parentId}`, ok: m.delib_ok_replied() }, (c) =>
		replyToArgument(c.database, c.actor, c.values.parentId, c.values.body)
	),
	hide: formAction({ fields: ['postId', 'reason'], form: postForm, ok: m.delib_ok_hidden() }, (c) =>
		hidePost(c.database, c.actor, c.values.postId, c.values.reason)
	),
	restore: formAction({ fields: ['postId', 'reason'], form: postForm, ok: m.delib_ok_restored() }, (c) =>
		restorePost(c.database, c.actor, c.values.postId, c.values.reason)
	),
	limits: formAction(
		{ fields: ['maxTurns', 'maxChars', 'speakSeconds'], form: 'limits', ok: m.delib_ok_limits() },
		({ database, actor, values, params }) =>
			setItemLimits(database, actor, params.itemId, {
				maxTurns: Number(values.maxTurns),
				maxChars: Number(values.maxChars),
				speakSeconds: Number(values.speakSeconds)
			})
	)
};
