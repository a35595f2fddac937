import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { addStatement, commonGround, voteOnStatement } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { ground: await guard(() => commonGround(getDatabase(), actor, event.params.id)), sessionId: event.params.id };
};

export const actions: Actions = {
	add: formAction({ fields: ['text'], form: 'add', ok: m.delib_ok_statement_added() }, (c) =>
		addStatement(c.database, c.actor, c.params.id, c.values.text)
	),
	answer: formAction({ fields: ['statementId', 'choice'], form: (v) => `s-${v.statementId}`, ok: m.delib_ok_answered() }, (c) =>
		voteOnStatement(c.database, c.actor, c.values.statementId, c.values.choice)
	)
};
