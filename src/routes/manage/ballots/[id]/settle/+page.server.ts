import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { confirmSettlement, mixedChoiceCasesOf, proposeSettlement, withdrawSettlement } from '$lib/server/voting';

/** 核对不一致的投票: each person whose units voted differently, with every unit's choice, and its settlement. */
export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { page: await guard(() => mixedChoiceCasesOf(getDatabase(), actor, { ballotId: event.params.id })) };
};

export const actions: Actions = {
	/** First member: how the person counts in persons, and on what basis. */
	propose: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['caseKey', 'choice', 'basis', 'note']);
		return act(async () => {
			await proposeSettlement(getDatabase(), actor, { ballotId: event.params.id, ...values });
			return { done: '已提出处理意见，须由另一位业委会成员确认' };
		}, values);
	},
	/** Second, different member: confirms; the case is settled. */
	confirm: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['settlementId']);
		return act(async () => {
			await confirmSettlement(getDatabase(), actor, { ballotId: event.params.id, ...values });
			return { done: '已确认，这一项处理完毕' };
		}, values);
	},
	withdraw: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['settlementId']);
		return act(async () => {
			await withdrawSettlement(getDatabase(), actor, { ballotId: event.params.id, ...values });
			return { done: '已撤回这项处理意见，可以重新提出' };
		}, values);
	}
};
