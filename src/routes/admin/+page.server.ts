import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues } from '$lib/server/http';
import { addNode, archiveNode, renameNode, restoreNode, treeFor } from '$lib/server/admin/tree';
import { KIND_LABELS } from '$lib/server/communities/tree';
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
		kindLabels: KIND_LABELS
	};
};

export const actions: Actions = {
	add: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['kind', 'parentId', 'name', '_form']);
		return act(async () => {
			await addNode(getDatabase(), actor, { kind: values.kind, parentId: values.parentId || null, name: values.name });
			return { _form: values._form, ok: `已添加：${values.name.trim()}` };
		}, values);
	},
	rename: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['nodeId', 'name', '_form']);
		return act(async () => {
			await renameNode(getDatabase(), actor, { nodeId: values.nodeId, name: values.name });
			return { _form: values._form, ok: '已改名' };
		}, values);
	},
	archive: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['nodeId', '_form']);
		return act(async () => {
			await archiveNode(getDatabase(), actor, values.nodeId);
			return {
				_form: 'archived',
				ok: '已停用。它下面的小区、楼栋也不再出现在选择列表里；历史记录都保留。需要时可在“已停用”里恢复。'
			};
		}, values);
	},
	restore: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['nodeId', '_form']);
		return act(async () => {
			await restoreNode(getDatabase(), actor, values.nodeId);
			return { _form: 'archived', ok: '已恢复使用' };
		}, values);
	}
};
