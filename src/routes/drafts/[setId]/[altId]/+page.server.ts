import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor, signedInLoad } from '$lib/server/require-user';
import { act, formValues } from '$lib/server/http';
import {
	addComment,
	getAlternative,
	getFrozenText,
	listComments,
	listVersions,
	replyToComment,
	resolveComment,
	saveVersion
} from '$lib/server/drafting';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
	event.depends('drafts:comments');
	const alt = await getAlternative(database, actor, event.params.altId);
	if (alt.set.id !== event.params.setId) error(404, m.draft_no_such_alt());
	const [comments, versions] = await Promise.all([listComments(database, actor, alt.id), listVersions(database, actor, alt.id)]);
	const frozen = alt.set.phase === 'frozen' ? await getFrozenText(database, actor, alt.id) : null;
	const { html: _html, ...view } = alt;
	return {
		alt: view,
		comments,
		versionCount: versions.length,
		latestVersion: versions[0] ?? null,
		frozen,
		me: { id: actor.userId, name: event.locals.user!.displayName }
	};
});

export const actions: Actions = {
	comment: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data, ['body']);
		const anchor = { start: String(data.get('start') ?? ''), end: String(data.get('end') ?? '') };
		return act(
			async () => ({
				commented: await addComment(getDatabase(), actor, {
					alternativeId: event.params.altId,
					body: values.body,
					anchor,
					quote: String(data.get('quote') ?? '')
				})
			}),
			values
		);
	},
	reply: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data, ['commentId', 'body']);
		return act(async () => ({ replied: await replyToComment(getDatabase(), actor, values.commentId, values.body) }), values);
	},
	resolve: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(async () => ({ resolved: await resolveComment(getDatabase(), actor, String(data.get('commentId') ?? '')) }));
	},
	saveVersion: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data, ['name']);
		return act(async () => ({ saved: await saveVersion(getDatabase(), actor, event.params.altId, values.name) }), values);
	}
};
