import type { Actions, PageServerLoad } from './$types';
import { signedInLoad } from '$lib/server/require-user';
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
import { formAction } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';
import { getAlternative } from '$lib/server/drafting';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
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

export const actions: Actions = {
	attend: formAction(
		{ fields: ['name', 'compoundId'], form: 'attend', ok: (_, v) => m.delib_ok_signed_in_name({ name: v.name }) },
		({ database, actor, values, params }) =>
			recordAttendance(database, actor, params.meetingId, { name: values.name, compoundId: values.compoundId })
	),
	checkin: formAction({ form: 'attend', ok: m.delib_ok_signed_in() }, ({ database, actor, params, event }) =>
		checkIn(database, actor, params.meetingId, event.locals.user?.displayName ?? m.delib_resident({}, { locale: 'zh-CN' }))
	),
	startDraft: formAction({ form: 'minutes', ok: m.delib_ok_draft_started() }, (c) =>
		startMinutesDraft(c.database, c.actor, c.params.meetingId)
	),
	approveDraft: formAction(
		{ form: 'minutes', ok: (version: { number: number }) => m.delib_ok_minutes_approved_n({ number: version.number }) },
		(c) => approveDraftedMinutes(c.database, c.actor, c.params.meetingId)
	),
	/** Plain-text minutes saved before the editor existed. */
	approve: formAction({ fields: ['number'], form: 'minutes', ok: m.delib_ok_minutes_approved() }, (c) =>
		approveMinutes(c.database, c.actor, c.params.meetingId, Number(c.values.number))
	)
};
