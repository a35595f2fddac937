import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues } from '$lib/server/http';
import { NODE_KINDS, addNode, archiveNode, renameNode, restoreNode, treeFor } from '$lib/server/admin/tree';
import { kindLabel, type NodeKind } from '$lib/server/communities/tree';
import { m } from '$lib/paraglide/messages';
import { requireAdminArea } from './access';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	requireAdminArea(actor);
	const database = getDatabase();
	const all = await treeFor(database, actor, { includeArchived: true });
	return {
		isAdmin: actor.grants.some((g) => g.role === 'admin'),
		welcome: event.url.searchParams.has('welcome'),
		nodes: all.filter((n) => !n.archived),
		archived: all.filter((n) => n.archived && n.canEdit),
		kindLabels: Object.fromEntries(NODE_KINDS.map((k) => [k, kindLabel(k)])) as Record<NodeKind, string>
	};
};

export const actions: Actions = {
	add: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['kind', 'parentId', 'name', '_form']);
		return act(async () => {
			await addNode(getDatabase(), actor, { kind: values.kind, parentId: values.parentId || null, name: values.name });
			return { _form: values._form, ok: m.admin_added({ name: values.name.trim() }) };
		}, values);
	},
	rename: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['nodeId', 'name', '_form']);
		return act(async () => {
			await renameNode(getDatabase(), actor, { nodeId: values.nodeId, name: values.name });
			return { _form: values._form, ok: m.admin_renamed() };
		}, values);
	},
	archive: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['nodeId', '_form']);
		return act(async () => {
			await archiveNode(getDatabase(), actor, values.nodeId);
			return {
				_form: 'archived',
				ok: m.admin_archived_ok()
			};
		}, values);
	},
	restore: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['nodeId', '_form']);
		return act(async () => {
			await restoreNode(getDatabase(), actor, values.nodeId);
			return { _form: 'archived', ok: m.admin_restored() };
		}, values);
	}
};
