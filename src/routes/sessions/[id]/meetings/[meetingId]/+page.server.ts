import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { approveMinutes, checkIn, meetingState, minutesOf, recordAttendance, saveMinutes, sessionView, formFields } from '$lib/server/agenda';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	return guard(async () => ({
		state: await meetingState(database, actor, event.params.meetingId),
		minutes: await minutesOf(database, actor, event.params.meetingId),
		compounds: (await sessionView(database, actor, event.params.id)).compounds
	}));
};

export const actions: Actions = {
	attend: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['name', 'compoundId'], 'attend');
		return act(async () => (await recordAttendance(getDatabase(), actor, event.params.meetingId, { name: values.name, compoundId: values.compoundId }), { _form: 'attend', ok: `${values.name} 已签到` }), values);
	},
	checkin: async (event) => {
		const actor = await requireActor(event);
		return act(async () => (await checkIn(getDatabase(), actor, event.params.meetingId, event.locals.user?.displayName ?? '居民'), { _form: 'attend', ok: '已签到' }), { _form: 'attend' });
	},
	save: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['text', 'base'], 'minutes');
		return act(async () => ({ _form: 'minutes', ok: `已保存为第 ${(await saveMinutes(getDatabase(), actor, event.params.meetingId, { text: values.text, baseNumber: Number(values.base) })).number} 版` }), values);
	},
	approve: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['number'], 'minutes');
		return act(async () => (await approveMinutes(getDatabase(), actor, event.params.meetingId, Number(values.number)), { _form: 'minutes', ok: '纪要已审定' }), values);
	}
};
