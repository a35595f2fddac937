import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDatabase, type Database } from '$lib/server/db/client';
import { formatDateTime } from '$lib/i18n/format';
import type { Actor } from '$lib/domain/access/policy';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import {
	ballotView,
	castByProxy,
	castElectronicBallot,
	checkStepWords,
	getTurnout,
	turnoutCard,
	loadBallot,
	myVoteInBallot,
	previewElectronicBallot,
	proxiesForUser,
	voterStanding,
	type BallotRecord
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

/**
 * The turnout as it stands after this request's cast: the vote is committed by now, so it is counted. Null when it
 * cannot be read (the page then keeps the turnout it has): the vote is recorded either way, and its receipt is the answer.
 */
async function turnoutAfterCast(database: Database, actor: Actor, ballot: BallotRecord) {
	try {
		return turnoutCard(await getTurnout(database, actor, { ballotId: ballot.id }, ballot));
	} catch (error) {
		console.error(`turnout after a cast in ballot ${ballot.id}`, error);
		return null;
	}
}

/**
 * A cast time as the reader reads it (`at`), written here: the page shows times without date code of its own, which
 * keeps the ballot page's script within its weight (issue #14).
 */
const stamped = <T extends { castAt: number }>(cast: T) => ({ ...cast, at: formatDateTime(cast.castAt) });

export const load: PageServerLoad = async (event) => {
	// What a cast or a proxy vote changes: the page's forms reload only this load after them (reloadingOnly).
	event.depends('vote:ballot');
	const actor = await requireActor(event);
	const database = getDatabase();
	// The ballot record is read once for the view, the turnout and the own vote (not once per service).
	const record = await guard(() => loadBallot(database.db, event.params.id));
	const ballot = await guard(() => ballotView(database, actor, record.id, record));
	const turnout =
		ballot.openedAt !== null ? turnoutCard(await guard(() => getTurnout(database, actor, { ballotId: ballot.id }, record))) : null;
	const myUnits = actor.memberships.filter((m) => m.relation === 'owner' && ballot.compounds.some((c) => c.compoundId === m.compoundId));
	const proxies = ballot.phase === 'voting' ? await proxiesForUser(database, actor.userId, ballot.id) : [];
	// Units whose vote in this ballot belongs to the owner fixed when it opened (voting/voters.ts).
	const standing =
		ballot.openedAt !== null && myUnits.length > 0
			? await voterStanding(database, actor, ballot.id)
			: { frozenOut: [], voting: [], message: null };
	const isVoter = myUnits.length > standing.frozenOut.length;
	// 我的投票: shown every time the owner comes back, not only once after casting.
	const myVote =
		ballot.openedAt !== null ? await myVoteInBallot(database, actor, ballot.id, record) : { own: null, paperUnits: [], asProxy: [] };
	const changing = event.url.searchParams.get('change') === '1' && ballot.allowChange;
	// The check step's words, for the page to show 核对 itself (with JavaScript) exactly as `?/review` words it.
	const checkStep = ballot.phase === 'voting' && isVoter ? checkStepWords(record) : null;
	const when = { opens: formatDateTime(ballot.opensAt), closes: formatDateTime(ballot.closesAt) };
	return {
		ballot,
		when,
		turnout,
		isVoter,
		proxies,
		standing,
		myVote: { ...myVote, own: myVote.own && stamped(myVote.own), asProxy: myVote.asProxy.map(stamped) },
		changing,
		checkStep
	};
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
	/**
	 * 第二步：确认投票. The answer carries everything the cast changed on this page (the receipt and the turnout
	 * counting it), so the page shows it without reloading its load (issue #17).
	 */
	cast: async (event) => {
		const { actor, database, ballot, choices } = await ownChoices(event);
		return act(async () => {
			const receipt = await castElectronicBallot(database, actor, { ballotId: ballot.id, choices }, ballot);
			return { receipt: stamped(receipt), turnout: await turnoutAfterCast(database, actor, ballot) };
		}, choices);
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
		return act(async () => ({
			receipt: stamped(await castByProxy(database, actor, { proxyId: String(data.get('proxyId') ?? ''), choices }))
		}));
	}
};
