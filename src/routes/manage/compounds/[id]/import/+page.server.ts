import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, load as guard } from '$lib/server/http';
import { confirmRosterImport, dropStaged, previewRosterImport, rosterManager, stageUpload, takeStaged } from '$lib/server/roster';
import { compoundOverview } from '$lib/server/communities/overview';
import { InvalidInput } from '$lib/server/errors';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const overview = await guard(() => compoundOverview(getDatabase(), actor, event.params.id, {}));
	return { compound: overview.compound, buildings: overview.buildings.map((b) => b.name), hasRoster: overview.versions.length > 0 };
};

export const actions: Actions = {
	preview: async (event) => {
		const actor = await requireActor(event);
		const file = (await event.request.formData()).get('file');
		return act(async () => {
			if (!(file instanceof File) || file.size === 0) throw new InvalidInput(m.admin_import_pick_file());
			const bytes = new Uint8Array(await file.arrayBuffer());
			const preview = await previewRosterImport(getDatabase(), actor, event.params.id, bytes, file.name);
			const token = preview.problems.length === 0 ? stageUpload(event.params.id, actor.userId, file.name, bytes) : null;
			return { preview, token };
		});
	},
	confirm: async (event) => {
		const actor = await requireActor(event);
		const token = String((await event.request.formData()).get('token') ?? '');
		const result = await act(async () => {
			// Refuse non-managers as such (403), not with "预览已过期" (no staged upload is theirs).
			await rosterManager(getDatabase(), actor, event.params.id);
			const staged = takeStaged(token, event.params.id, actor.userId);
			if (!staged) throw new InvalidInput(m.admin_import_expired());
			const done = await confirmRosterImport(getDatabase(), actor, event.params.id, staged.bytes, staged.fileName);
			dropStaged(token);
			return done;
		});
		if (result && 'versionNo' in result) redirect(303, `/manage/compounds/${event.params.id}?imported=${result.versionNo}`);
		return result;
	}
};
