import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { getDatabase } from '$lib/server/db/client';
import { requireActor, signedInLoad } from '$lib/server/require-user';
import { act, formValues } from '$lib/server/http';
import { BODY_TOO_LARGE, isBodyTooLarge, photoLimitProblem } from '$lib/server/concerns/photos';
import {
	answerObjection,
	closeItem,
	createTask,
	finaliseRecord,
	getPublicRecord,
	publishCorrection,
	requireRecordManager,
	updateTask
} from '$lib/server/records';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
	const record = await getPublicRecord(database, event.params.id);
	await requireRecordManager(
		database,
		actor,
		record.document.content.compounds.map((c) => c.compoundId)
	);
	if (!record.isCurrent) redirect(303, `/manage/records/${record.latestId}`);
	return { record, now: Date.now() };
});

function photoFilesOf(data: FormData): File[] {
	return data.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
}

export const actions: Actions = {
	answer: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['objectionId', 'text']);
		const result = await act(
			() => answerObjection(getDatabase(), actor, { objectionId: values.objectionId, text: values.text }),
			values
		);
		return result ?? { done: m.records_manage_done_answered() };
	},
	finalise: async (event) => {
		const actor = await requireActor(event);
		const result = await act(() => finaliseRecord(getDatabase(), actor, { recordId: event.params.id }));
		if (result && 'recordId' in result) redirect(303, `/manage/records/${result.recordId}?final=1`);
		return result;
	},
	correct: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['reason', 'question']);
		const result = await act(
			() =>
				publishCorrection(getDatabase(), actor, {
					recordId: event.params.id,
					reason: values.reason,
					question: values.question || undefined
				}),
			values
		);
		if (result && 'recordId' in result) redirect(303, `/manage/records/${result.recordId}?corrected=1`);
		return result;
	},
	task: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['itemId', 'title', 'organisation', 'dueDate']);
		const result = await act(
			() =>
				createTask(getDatabase(), actor, {
					itemId: values.itemId,
					title: values.title,
					organisation: values.organisation,
					dueDate: values.dueDate
				}),
			values
		);
		return result && 'taskId' in result ? { done: m.records_manage_done_task() } : result;
	},
	update: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData().catch((e) => {
			if (isBodyTooLarge(e)) return null;
			throw e;
		});
		if (!data) return fail(413, { message: BODY_TOO_LARGE, fields: { photos: BODY_TOO_LARGE }, values: {} as Record<string, string> });
		const files = photoFilesOf(data);
		// The note comes back on a refusal; the photos cannot (a page load empties a file field), so say how many.
		const values = { ...formValues(data, ['taskId', 'status', 'note']), photoCount: String(files.length) };
		const tooLarge = photoLimitProblem(files);
		if (tooLarge) return fail(413, { message: tooLarge, fields: { photos: tooLarge }, values });
		const result = await act(async () => {
			const photos = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
			return updateTask(getDatabase(), actor, { taskId: values.taskId, status: values.status, note: values.note, photos });
		}, values);
		return result && 'updateId' in result ? { done: m.records_manage_done_update() } : result;
	},
	close: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['itemId', 'note']);
		const result = await act(() => closeItem(getDatabase(), actor, { itemId: values.itemId, note: values.note }), values);
		return result && 'closedAt' in result ? { done: m.records_manage_done_closed() } : result;
	}
};
