import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { publicOrigin } from '$lib/server/public-origin';
import { ballotView, electorateBuildings, printablePaperBallots } from '$lib/server/voting';

/** 打印纸质票 for one building: ?building=<compoundId>|<楼栋>. */
export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const ballot = await guard(() => ballotView(database, actor, event.params.id));
	if (!ballot.can.enterPaper) error(403, m.voting_print_denied());
	const buildings = ballot.openedAt !== null ? await electorateBuildings(database, ballot.id, ballot.paperCompoundIds) : [];
	const chosen = event.url.searchParams.get('building') ?? '';
	const [compoundId, buildingName = ''] = chosen.split('|');
	const sheets = chosen
		? await guard(() =>
				printablePaperBallots(database, actor, { ballotId: ballot.id, compoundId, buildingName, origin: publicOrigin(event.url) })
			)
		: [];
	return { ballot, buildings, chosen, sheets };
};
