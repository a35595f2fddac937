import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import { answerAdvisoryPoll, closeAdvisoryPoll, createAdvisoryPoll, remindPoll, sessionPolls } from '$lib/server/deliberation';
import { formFields } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return guard(async () => {
		const session = await sessionView(getDatabase(), actor, event.params.id);
		return {
			polls: await sessionPolls(getDatabase(), actor, event.params.id),
			sessionId: session.id,
			manage: session.may.manage,
			open: session.allows.polls
		};
	});
};

export const actions: Actions = {
	create: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formFields(data, ['question', 'options'], 'create');
		return act(
			async () => (
				await createAdvisoryPoll(getDatabase(), actor, event.params.id, {
					question: values.question,
					options: values.options.split('\n')
				}),
				{ _form: 'create', ok: m.delib_ok_poll_created() }
			),
			values
		);
	},
	answer: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['pollId', 'option']);
		const name = `poll-${values.pollId}`;
		return act(
			async () => (
				await answerAdvisoryPoll(getDatabase(), actor, values.pollId, values.option === '' ? NaN : Number(values.option)),
				{ _form: name, ok: m.delib_ok_poll_answered() }
			),
			{ ...values, _form: name }
		);
	},
	remind: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['pollId']);
		const name = `poll-${values.pollId}`;
		return act(
			async () => ({ _form: name, ok: m.delib_ok_poll_reminded({ count: await remindPoll(getDatabase(), actor, values.pollId) }) }),
			{
				...values,
				_form: name
			}
		);
	},
	close: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['pollId']);
		const name = `poll-${values.pollId}`;
		return act(
			async () => (await closeAdvisoryPoll(getDatabase(), actor, values.pollId), { _form: name, ok: m.delib_ok_poll_closed() }),
			{ ...values, _form: name }
		);
	}
};
