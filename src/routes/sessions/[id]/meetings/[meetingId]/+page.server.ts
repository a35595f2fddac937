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
	attend: formAction(['name', 'compoundId'], 'attend', async ({ database, actor, values, params }) => {
		await recordAttendance(database, actor, params.meetingId, { name: values.name, compoundId: values.compoundId });
		return `${values.name} 已签到`;
	}),
	checkin: formAction([], 'attend', async ({ database, actor, params, event }) => {
		await checkIn(database, actor, params.meetingId, event.locals.user?.displayName ?? '居民');
		return '已签到';
	}),
	startDraft: formAction([], 'minutes', async ({ database, actor, params }) => {
		await startMinutesDraft(database, actor, params.meetingId);
		return '已开始起草纪要，参会的居民可以一起写';
	}),
	approveDraft: formAction(
		[],
		'minutes',
		async ({ database, actor, params }) =>
			`纪要已审定（第 ${(await approveDraftedMinutes(database, actor, params.meetingId)).number} 版）`
	),
	/** Plain-text minutes saved before the editor existed. */
	approve: formAction(['number'], 'minutes', async ({ database, actor, values, params }) => {
		await approveMinutes(database, actor, params.meetingId, Number(values.number));
		return '纪要已审定';
	})
};
