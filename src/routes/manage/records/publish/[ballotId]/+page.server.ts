import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
import { listPublishable, previewPreliminaryRecord, publishPreliminaryRecord, type PublishRecordInput } from '$lib/server/records';
import { NotFound } from '$lib/server/errors';

const FIELDS = ['question', 'disputeDays', 'convenedBy', 'm1title', 'm1date', 'm1summary', 'd1from', 'd1summary', 'd2from', 'd2summary'];

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const ballot = await guard(async () => {
		const found = (await listPublishable(getDatabase(), actor)).find((b) => b.ballotId === event.params.ballotId && b.canPublish);
		if (!found) throw new NotFound(m.records_error_no_ballot());
		return found;
	});
	return { ballot };
};

function inputOf(ballotId: string, values: Record<string, string>): PublishRecordInput {
	const minutes = values.m1title || values.m1summary ? [{ title: values.m1title, date: values.m1date, summary: values.m1summary }] : [];
	const dissent = [1, 2]
		.filter((i) => values[`d${i}summary`])
		.map((i) => ({ from: values[`d${i}from`] || '部分业主', summary: values[`d${i}summary`] }));
	const disputeDays = values.disputeDays ? Number(values.disputeDays) : undefined;
	return { ballotId, question: values.question, disputeDays, convenedBy: values.convenedBy, minutes, dissent };
}

/** 发布公示 asks first (without JavaScript too): 预览 shows the record as it will be published; only 确认发布 writes it. */
export const actions: Actions = {
	preview: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), FIELDS);
		const input = inputOf(event.params.ballotId, values);
		return act(async () => ({ preview: await previewPreliminaryRecord(getDatabase(), actor, input), values }), values);
	},
	publish: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), FIELDS);
		const result = await act(() => publishPreliminaryRecord(getDatabase(), actor, inputOf(event.params.ballotId, values)), values);
		if (result && 'recordId' in result) redirect(303, `/manage/records/${result.recordId}?published=1`);
		return result;
	}
};
