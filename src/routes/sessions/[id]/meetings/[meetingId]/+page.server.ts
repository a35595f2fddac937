import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import { sessionView } from '$lib/server/agenda';
import {
	approveDraftedMinutes,
	approveMinutes,
	checkIn,
	meetingState,
	minutesOf,
	recordAttendance,
	startMinutesDraft
} from '$lib/server/deliberation';
import { formFields } from '$lib/server/forms';
import { getAlternative } from '$lib/server/drafting';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	return guard(async () => {
		const minutes = await minutesOf(database, actor, event.params.meetingId);
		// The shared minutes in the editor, while they are being written (once approved, the page shows the approved text).
		const editing = minutes.draft && !minutes.approved ? await getAlternative(database, actor, minutes.draft.alternativeId) : null;
		return {
			state: await meetingState(database, actor, event.params.meetingId),
			minutes,
			editor: editing
				? { id: editing.id, label: editing.label, header: editing.header, compounds: editing.compounds, canEdit: editing.canEdit }
				: null,
			me: { id: actor.userId, name: event.locals.user?.displayName ?? m.delib_resident() },
			compounds: (await sessionView(database, actor, event.params.id)).compounds
		};
	});
};

export const actions: Actions = {
	attend: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['name', 'compoundId'], 'attend');
		return act(
			async () => (
				await recordAttendance(getDatabase(), actor, event.params.meetingId, { name: values.name, compoundId: values.compoundId }),
				{ _form: 'attend', ok: m.delib_ok_signed_in_name({ name: values.name }) }
			),
			values
		);
	},
	checkin: async (event) => {
		const actor = await requireActor(event);
		return act(
			async () => (
				await checkIn(
					getDatabase(),
					actor,
					event.params.meetingId,
					event.locals.user?.displayName ?? m.delib_resident({}, { locale: 'zh-CN' })
				),
				{ _form: 'attend', ok: m.delib_ok_signed_in() }
			),
			{ _form: 'attend' }
		);
	},
	startDraft: async (event) => {
		const actor = await requireActor(event);
		return act(
			async () => (
				await startMinutesDraft(getDatabase(), actor, event.params.meetingId),
				{ _form: 'minutes', ok: m.delib_ok_draft_started() }
			),
			{ _form: 'minutes' }
		);
	},
	approveDraft: async (event) => {
		const actor = await requireActor(event);
		return act(
			async () => ({
				_form: 'minutes',
				ok: m.delib_ok_minutes_approved_n({
					number: (await approveDraftedMinutes(getDatabase(), actor, event.params.meetingId)).number
				})
			}),
			{ _form: 'minutes' }
		);
	},
	/** Plain-text minutes saved before the editor existed. */
	approve: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['number'], 'minutes');
		return act(
			async () => (
				await approveMinutes(getDatabase(), actor, event.params.meetingId, Number(values.number)),
				{ _form: 'minutes', ok: m.delib_ok_minutes_approved() }
			),
			values
		);
	}
};
