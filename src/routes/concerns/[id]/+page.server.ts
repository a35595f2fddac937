import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { concernDetail, cosignConcern, escalateConcern, handBackConcern, triageConcern } from '$lib/server/concerns';
import { formAction } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { concern: await guard(() => concernDetail(getDatabase(), actor, event.params.id)) };
};

export const actions: Actions = {
	cosign: formAction(
		{
			form: 'cosign',
			ok: (r: { queued: boolean; support: number }) =>
				r.queued ? m.concerns_cosign_ok_queued() : m.concerns_cosign_ok({ support: r.support })
		},
		(c) => cosignConcern(c.database, c.actor, c.params.id)
	),
	triage: formAction(
		{ fields: ['outcome', 'reason', 'mergeInto'], form: 'triage', ok: () => m.concerns_triage_ok() },
		async ({ database, actor, values, params }) => {
			if (values.outcome === 'escalate') await escalateConcern(database, actor, params.id, values.reason);
			else if (values.outcome === 'hand_back') await handBackConcern(database, actor, params.id, values.reason);
			else
				await triageConcern(database, actor, params.id, {
					outcome: values.outcome as 'answer',
					reason: values.reason,
					mergeInto: values.mergeInto || undefined
				});
		}
	)
};
