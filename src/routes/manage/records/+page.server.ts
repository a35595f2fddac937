import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act } from '$lib/server/http';
import { cosignCount, listPublishable, searchRecords, signCount } from '$lib/server/records';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const [ballots, records] = await Promise.all([listPublishable(database, actor), searchRecords(database)]);
	const staff = actor.grants.some((g) => g.role === 'committee_staff' || g.role === 'cluster_coordinator' || g.role === 'admin');
	return { ballots, records: staff ? records : [], staff };
};

export const actions: Actions = {
	sign: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(() =>
			signCount(getDatabase(), actor, {
				ballotId: String(data.get('ballotId') ?? ''),
				compoundId: String(data.get('compoundId') ?? ''),
				unitVotes: data.get('unitVotes') === 'masked' ? 'masked' : 'none'
			})
		);
	},
	cosign: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(() => cosignCount(getDatabase(), actor, { ballotId: String(data.get('ballotId') ?? '') }));
	}
};
