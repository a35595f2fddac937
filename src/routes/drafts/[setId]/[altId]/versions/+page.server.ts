import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor, signedInLoad } from '$lib/server/require-user';
import { act } from '$lib/server/http';
import { diffVersions, getAlternative, getVersionContent, listVersions, restoreVersion } from '$lib/server/drafting';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
	const alt = await getAlternative(database, actor, event.params.altId);
	if (alt.set.id !== event.params.setId) error(404, m.draft_no_such_alt());
	const versions = await listVersions(database, actor, alt.id);
	const viewId = event.url.searchParams.get('view');
	const from = event.url.searchParams.get('from');
	const to = event.url.searchParams.get('to') || 'current';
	const view = viewId ? await getVersionContent(database, actor, viewId) : null;
	if (view && view.version.alternativeId !== alt.id) error(404, m.draft_no_such_version());
	const diff = from ? await diffVersions(database, actor, from, to) : null;
	return {
		alt: { id: alt.id, label: alt.label, title: alt.title, setId: alt.set.id, setTitle: alt.set.title, canEdit: alt.canEdit },
		versions,
		view: view ? { version: view.version, text: view.text } : null,
		diff: diff ? { from, to, ...diff } : null
	};
});

export const actions: Actions = {
	/** 恢复: the live text becomes the chosen version's, saved as a new version; nothing is lost. */
	restore: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(async () => ({ restored: await restoreVersion(getDatabase(), actor, String(data.get('versionId') ?? '')) }));
	}
};
