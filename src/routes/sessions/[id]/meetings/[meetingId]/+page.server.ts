import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
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
import { getAlternative } from '$lib/server/drafting';

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
			me: { id: actor.userId, name: event.locals.user?.displayName ?? '居民' },
			compounds: (await sessionView(database, actor, event.params.id)).compounds
		};
	});
};

export const actions: Actions = {
	attend: formAction(
		{ fields: ['name', 'compoundId'], form: 'attend', ok: (_, v) => `${v.name} 已签到` },
		({ database, actor, values, params }) =>
			recordAttendance(database, actor, params.meetingId, { name: values.name, compoundId: values.compoundId })
	),
	checkin: formAction({ form: 'attend', ok: '已签到' }, ({ database, actor, params, event }) =>
		checkIn(database, actor, params.meetingId, event.locals.user?.displayName ?? '居民')
	),
	startDraft: formAction({ form: 'minutes', ok: '已开始起草纪要，参会的居民可以一起写' }, (c) =>
		startMinutesDraft(c.database, c.actor, c.params.meetingId)
	),
	approveDraft: formAction({ form: 'minutes', ok: (version: { number: number }) => `纪要已审定（第 ${version.number} 版）` }, (c) =>
		approveDraftedMinutes(c.database, c.actor, c.params.meetingId)
	),
	/** Plain-text minutes saved before the editor existed. */
	approve: formAction({ fields: ['number'], form: 'minutes', ok: '纪要已审定' }, (c) =>
		approveMinutes(c.database, c.actor, c.params.meetingId, Number(c.values.number))
	)
};
