import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { addStatement, commonGround, voteOnStatement } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { ground: await guard(() => commonGround(getDatabase(), actor, event.params.id)), sessionId: event.params.id };
};

export const actions: Actions = {
	add: formAction(['text'], 'add', async ({ database, actor, values, params }) => {
		await addStatement(database, actor, params.id, values.text);
		return '已提出，请邀请邻居表态';
	}),
	answer: formAction(
		['statementId', 'choice'],
		(v) => `s-${v.statementId}`,
		async ({ database, actor, values }) => {
			await voteOnStatement(database, actor, values.statementId, values.choice);
			return '已表态';
		}
	)
};
