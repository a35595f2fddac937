import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import { answerAdvisoryPoll, closeAdvisoryPoll, createAdvisoryPoll, remindPoll, sessionPolls } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';
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

/** Each poll's forms answer under the poll. */
const pollForm = (v: Record<string, string>) => `poll-${v.pollId}`;

export const actions: Actions = {
	create: formAction(
		{ fields: ['question', 'options'], form: 'create', ok: m.delib_ok_poll_created() },
		({ database, actor, values, params }) =>
			createAdvisoryPoll(database, actor, params.id, { question: values.question, options: values.options.split('\n') })
	),
	answer: formAction({ fields: ['pollId', 'option'], form: pollForm, ok: m.delib_ok_poll_answered() }, ({ database, actor, values }) =>
		answerAdvisoryPoll(database, actor, values.pollId, values.option === '' ? NaN : Number(values.option))
	),
	remind: formAction({ fields: ['pollId'], form: pollForm, ok: (n) => m.delib_ok_poll_reminded({ count: n as number }) }, (c) =>
		remindPoll(c.database, c.actor, c.values.pollId)
	),
	close: formAction({ fields: ['pollId'], form: pollForm, ok: m.delib_ok_poll_closed() }, (c) =>
		closeAdvisoryPoll(c.database, c.actor, c.values.pollId)
	)
};
