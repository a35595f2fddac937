import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { unvotedByBuilding } from '$lib/server/scheduler/reminders';

/** 扫楼清单: per building, the rooms that have not voted yet; no choices. ?b=<compoundId>|<楼栋> lists one building. */
export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const building = event.url.searchParams.get('b');
	return { list: await guard(() => unvotedByBuilding(getDatabase(), actor, event.params.id, building)), ballotId: event.params.id };
};
