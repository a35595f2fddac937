import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import {
	ballotView,
	castByProxy,
	castElectronicBallot,
	getTurnout,
	loadBallot,
	myVoteInBallot,
	previewElectronicBallot,
	proxiesForUser,
	voterStanding
} from '$lib/server/voting';

function choicesFrom(data: FormData, motionIds: string[]): Record<string, string> {
	return Object.fromEntries(motionIds.map((id) => [id, String(data.get(`m-${id}`) ?? '')]));
}

/**
 * What the check and the cast both start from: the signed-in owner, the ballot record itself (not the page view:
 * the services reuse it instead of reading it again, and refuse whoever may not vote in it) and the choice of
 * each motion as posted.
 */
async function ownChoices(event: RequestEvent) {
	const actor = await requireActor(event);
	const data = await event.request.formData();
	const database = getDatabase();
	const ballot = await guard(() => loadBallot(database.db, event.params.id));
	return {
		actor,
		database,
		ballot,
		choices: choicesFrom(
			data,
			ballot.motions.map((m) => m.motionId)
		)
	};
}

export const load: PageServerLoad = async (event) => {
	// What a cast or a proxy vote changes: the page's forms reload only this load after them (reloadingOnly).
	event.depends('vote:ballot');
	const actor = await requireActor(event);
	const database = getDatabase();
	// The ballot record is read once for the view, the turnout and the own vote (not once per service).
	const record = await guard(() => loadBallot(database.db, event.params.id));
	const ballot = await guard(() => ballotView(database, actor, record.id, record));
	const turnout = ballot.openedAt !== null ? await guard(() => getTurnout(database, actor, { ballotId: ballot.id }, record)) : null;
	const myUnits = actor.memberships.filter((m) => m.relation === 'owner' && ballot.compounds.some((c) => c.compoundId === m.compoundId));
	const proxies = ballot.phase === 'voting' ? await proxiesForUser(database, actor.userId, ballot.id) : [];
	// Units whose vote in this ballot belongs to the owner fixed when it opened (voting/voters.ts).
	const standing =
		ballot.openedAt !== null && myUnits.length > 0 ? await voterStanding(database, actor, ballot.id) : { frozenOut: [], message: null };
	const isVoter = myUnits.length > standing.frozenOut.length;
	// 我的投票: shown every time the owner comes back, not only once after casting.
	const myVote =
		ballot.openedAt !== null ? await myVoteInBallot(database, actor, ballot.id, record) : { own: null, paperUnits: [], asProxy: [] };
	const changing = event.url.searchParams.get('change') === '1' && ballot.allowChange;
	return { ballot, turnout, isVoter, proxies, standing, myVote, changing };
};

export const actions: Actions = {
	/** 第一步：核对. Nothing is counted yet. */
	review: async (event) => {
		const { actor, database, ballot, choices } = await ownChoices(event);
		return act(
			async () => ({ review: await previewElectronicBallot(database, actor, { ballotId: ballot.id, choices }, ballot), choices }),
			choices
		);
	},
	/** 第二步：确认投票. */
	cast: async (event) => {
		const { actor, database, ballot, choices } = await ownChoices(event);
		return act(
			async () => ({ receipt: await castElectronicBallot(database, actor, { ballotId: ballot.id, choices }, ballot) }),
			choices
		);
	},
	/** 代为投票 under a 委托书: only as the principal instructed (the service refuses anything else). */
	proxy: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const database = getDatabase();
		const ballot = await guard(() => ballotView(database, actor, event.params.id));
		const choices = Object.fromEntries(
			ballot.motions.map((m) => [m.motionId, String(data.get(`m-${m.motionId}`) ?? '')]).filter(([, c]) => c)
		);
		return act(async () => ({ receipt: await castByProxy(database, actor, { proxyId: String(data.get('proxyId') ?? ''), choices }) }));
	}
};
