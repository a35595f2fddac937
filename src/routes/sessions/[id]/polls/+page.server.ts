import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import { answerAdvisoryPoll, closeAdvisoryPoll, createAdvisoryPoll, remindPoll, sessionPolls } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';

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
	create: formAction(['question', 'options'], 'create', async ({ database, actor, values, params }) => {
		await createAdvisoryPoll(database, actor, params.id, { question: values.question, options: values.options.split('\n') });
		return '已发起征询';
	}),
	answer: formAction(
		['pollId', 'option'],
		(v) => `poll-${v.pollId}`,
		async ({ database, actor, values }) => {
			await answerAdvisoryPoll(database, actor, values.pollId, values.option === '' ? NaN : Number(values.option));
			return '谢谢，已记录您的意见';
		}
	),
	remind: formAction(
		['pollId'],
		(v) => `poll-${v.pollId}`,
		async ({ database, actor, values }) => `已提醒 ${await remindPoll(database, actor, values.pollId)} 位还没回答的居民`
	),
	close: formAction(
		['pollId'],
		(v) => `poll-${v.pollId}`,
		async ({ database, actor, values }) => {
			await closeAdvisoryPoll(database, actor, values.pollId);
			return '征询已结束，不再接受回答';
		}
	)
};
