import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import {
	callNextSpeaker,
	meetingState,
	recordShowOfHands,
	requestToSpeak,
	sessionMeetings,
	setCurrentItem
} from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';

/** The meeting named by ?m=, or the session's latest one. */
async function meetingId(sessionId: string, url: URL): Promise<string> {
	const chosen = url.searchParams.get('m');
	if (chosen) return chosen;
	const all = await sessionMeetings(getDatabase(), sessionId);
	if (all.length === 0) error(404, '这个协商会还没有安排会议');
	return all[all.length - 1].id;
}

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const id = await meetingId(event.params.id, event.url);
	return guard(async () => ({
		state: await meetingState(getDatabase(), actor, id),
		compounds: (await sessionView(getDatabase(), actor, event.params.id)).compounds
	}));
};

export const actions: Actions = {
	item: formAction({ fields: ['itemId'], form: 'chair', ok: '已切换议题' }, async ({ database, actor, values, params, event }) =>
		setCurrentItem(database, actor, await meetingId(params.id, event.url), values.itemId)
	),
	queue: formAction(
		{ fields: ['name', 'compoundId', 'stance'], form: 'queue', ok: (_, v) => `${v.name} 已排队` },
		async ({ database, actor, values, params, event }) =>
			requestToSpeak(database, actor, await meetingId(params.id, event.url), {
				name: values.name,
				compoundId: values.compoundId,
				stance: values.stance
			})
	),
	next: formAction(
		{ form: 'chair', ok: (who: { name: string } | null) => (who ? `请 ${who.name} 发言` : '没有人排队了') },
		async ({ database, actor, params, event }) => callNextSpeaker(database, actor, await meetingId(params.id, event.url))
	),
	hands: formAction(
		{ fields: ['itemId', 'yes', 'no', 'abstain'], form: 'hands', ok: '举手结果已记录' },
		async ({ database, actor, values, params, event }) => {
			const n = (s: string) => (s.trim() === '' ? NaN : Number(s));
			return recordShowOfHands(database, actor, await meetingId(params.id, event.url), {
				itemId: values.itemId,
				yes: n(values.yes),
				no: n(values.no),
				abstain: n(values.abstain)
			});
		}
	)
};
