import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { setItemLimits } from '$lib/server/agenda';
import { hidePost, itemDebate, postArgument, replyToArgument, restorePost } from '$lib/server/deliberation';
import { formFields } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { debate: await guard(() => itemDebate(getDatabase(), actor, event.params.itemId)) };
};

export const actions: Actions = {
	argue: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['stance', 'body'], 'argue');
		return act(
			async () => (
				await postArgument(getDatabase(), actor, event.params.itemId, { stance: values.stance, body: values.body }),
				{ _form: 'argue', ok: m.delib_ok_posted() }
			),
			values
		);
	},
	reply: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['parentId', 'body']);
		const name = `reply-${values.parentId}`;
		return act(
			async () => (
				await replyToArgument(getDatabase(), actor, values.parentId, values.body),
				{ _form: name, ok: m.delib_ok_replied() }
			),
			{
				...values,
				_form: name
			}
		);
	},
	hide: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['postId', 'reason']);
		const name = `hide-${values.postId}`;
		return act(
			async () => (await hidePost(getDatabase(), actor, values.postId, values.reason), { _form: name, ok: m.delib_ok_hidden() }),
			{ ...values, _form: name }
		);
	},
	restore: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['postId', 'reason']);
		const name = `hide-${values.postId}`;
		return act(
			async () => (await restorePost(getDatabase(), actor, values.postId, values.reason), { _form: name, ok: m.delib_ok_restored() }),
			{
				...values,
				_form: name
			}
		);
	},
	limits: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['maxTurns', 'maxChars', 'speakSeconds'], 'limits');
		return act(
			async () => (
				await setItemLimits(getDatabase(), actor, event.params.itemId, {
					maxTurns: Number(values.maxTurns),
					maxChars: Number(values.maxChars),
					speakSeconds: Number(values.speakSeconds)
				}),
				{ _form: 'limits', ok: m.delib_ok_limits() }
			),
			values
		);
	}
};
