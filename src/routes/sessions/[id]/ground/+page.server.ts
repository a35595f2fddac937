import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { addStatement, commonGround, voteOnStatement } from '$lib/server/deliberation';
import { formFields } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { ground: await guard(() => commonGround(getDatabase(), actor, event.params.id)), sessionId: event.params.id };
};

export const actions: Actions = {
	add: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['text'], 'add');
		return act(
			async () => (
				await addStatement(getDatabase(), actor, event.params.id, values.text),
				{ _form: 'add', ok: m.delib_ok_statement_added() }
			),
			values
		);
	},
	answer: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['statementId', 'choice']);
		const name = `s-${values.statementId}`;
		return act(
			async () => (
				await voteOnStatement(getDatabase(), actor, values.statementId, values.choice),
				{ _form: name, ok: m.delib_ok_answered() }
			),
			{ ...values, _form: name }
		);
	}
};
