import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import {
	callNextSpeaker,
	meetingState,
	recordShowOfHands,
	requestToSpeak,
	sessionMeetings,
	setCurrentItem
} from '$lib/server/deliberation';
import { formFields } from '$lib/server/forms';
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
	item: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['itemId']);
		const id = await meetingId(event.params.id, event.url);
		return act(
			async () => (await setCurrentItem(getDatabase(), actor, id, values.itemId), { _form: 'chair', ok: m.delib_ok_item_switched() }),
			{
				_form: 'chair'
			}
		);
	},
	queue: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['name', 'compoundId', 'stance'], 'queue');
		const id = await meetingId(event.params.id, event.url);
		return act(
			async () => (
				await requestToSpeak(getDatabase(), actor, id, { name: values.name, compoundId: values.compoundId, stance: values.stance }),
				{ _form: 'queue', ok: m.delib_ok_queued({ name: values.name }) }
			),
			values
		);
	},
	next: async (event) => {
		const actor = await requireActor(event);
		const id = await meetingId(event.params.id, event.url);
		return act(
			async () => {
				const who = await callNextSpeaker(getDatabase(), actor, id);
				return { _form: 'chair', ok: who ? m.delib_ok_call({ name: who.name }) : m.delib_ok_queue_empty() };
			},
			{ _form: 'chair' }
		);
	},
	hands: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['itemId', 'yes', 'no', 'abstain'], 'hands');
		const id = await meetingId(event.params.id, event.url);
		const n = (s: string) => (s.trim() === '' ? NaN : Number(s));
		return act(
			async () => (
				await recordShowOfHands(getDatabase(), actor, id, {
					itemId: values.itemId,
					yes: n(values.yes),
					no: n(values.no),
					abstain: n(values.abstain)
				}),
				{ _form: 'hands', ok: m.delib_ok_hands() }
			),
			values
		);
	}
};
