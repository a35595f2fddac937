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
import { m } from '$lib/paraglide/messages';

/** The meeting named by ?m=, or the session's latest one. */
async function meetingId(sessionId: string, url: URL): Promise<string> {
	const chosen = url.searchParams.get('m');
	if (chosen) return chosen;
	const all = await sessionMeetings(getDatabase(), sessionId);
	if (all.length === 0) error(404, m.delib_no_meeting());
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
	item: formAction(
		{ fields: ['itemId'], form: 'chair', ok: m.delib_ok_item_switched() },
		async ({ database, actor, values, params, event }) =>
			setCurrentItem(database, actor, await meetingId(params.id, event.url), values.itemId)
	),
	queue: formAction(
		{ fields: ['name', 'compoundId', 'stance'], form: 'queue', ok: (_, v) => m.delib_ok_queued({ name: v.name }) },
		async ({ database, actor, values, params, event }) =>
			requestToSpeak(database, actor, await meetingId(params.id, event.url), {
				name: values.name,
				compoundId: values.compoundId,
				stance: values.stance
			})
	),
	next: formAction(
		{ form: 'chair', ok: (who: { name: string } | null) => (who ? m.delib_ok_call({ name: who.name }) : m.delib_ok_queue_empty()) },
		async ({ database, actor, params, event }) => callNextSpeaker(database, actor, await meetingId(params.id, event.url))
	),
	hands: formAction(
		{ fields: ['itemId', 'yes', 'no', 'abstain'], form: 'hands', ok: m.delib_ok_hands() },
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
