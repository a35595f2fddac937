import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import { concernDetail, cosignConcern, escalateConcern, handBackConcern, triageConcern } from '$lib/server/concerns';
import { formFields } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { concern: await guard(() => concernDetail(getDatabase(), actor, event.params.id)) };
};

export const actions: Actions = {
	cosign: async (event) => {
		const actor = await requireActor(event);
		return act(
			async () => {
				const r = await cosignConcern(getDatabase(), actor, event.params.id);
				return {
					_form: 'cosign',
					ok: r.queued ? m.concerns_cosign_ok_queued() : m.concerns_cosign_ok({ support: r.support })
				};
			},
			{ _form: 'cosign' }
		);
	},
	triage: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formFields(data, ['outcome', 'reason', 'mergeInto'], 'triage');
		return act(async () => {
			if (values.outcome === 'escalate') await escalateConcern(getDatabase(), actor, event.params.id, values.reason);
			else if (values.outcome === 'hand_back') await handBackConcern(getDatabase(), actor, event.params.id, values.reason);
			else
				await triageConcern(getDatabase(), actor, event.params.id, {
					outcome: values.outcome as 'answer',
					reason: values.reason,
					mergeInto: values.mergeInto || undefined
				});
			return { _form: 'triage', ok: m.concerns_triage_ok() };
		}, values);
	}
};
