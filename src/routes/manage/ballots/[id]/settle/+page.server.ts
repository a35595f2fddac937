import { m } from '$lib/paraglide/messages';
import type { Action } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import type { Actor } from '$lib/domain/access/policy';
import type { Database } from '$lib/server/db/client';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { confirmSettlement, mixedChoiceCasesOf, proposeSettlement, withdrawSettlement } from '$lib/server/voting';

/** 核对不一致的投票: each person whose units voted differently, with every unit's choice, and its settlement. */
export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { page: await guard(() => mixedChoiceCasesOf(getDatabase(), actor, { ballotId: event.params.id })) };
};

/** Each action reads its fields, calls one service with the ballot, and says what was done. */
function settleAction<K extends string>(
	fields: K[],
	call: (database: Database, actor: Actor, input: { ballotId: string } & Record<K, string>) => Promise<unknown>,
	done: () => string
): Action<{ id: string }> {
	return async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), fields);
		return act(async () => {
			await call(getDatabase(), actor, { ballotId: event.params.id, ...values });
			return { done: done() };
		}, values);
	};
}

export const actions: Actions = {
	/** First member: how the person counts in persons, and on what basis. */
	propose: settleAction(['caseKey', 'choice', 'basis', 'note'], proposeSettlement, m.voting_settle_proposed),
	/** Second, different member: confirms; the case is settled. */
	confirm: settleAction(['settlementId'], confirmSettlement, m.voting_settle_confirmed),
	withdraw: settleAction(['settlementId'], withdrawSettlement, m.voting_settle_withdrawn)
};
