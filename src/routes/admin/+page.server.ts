import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { formAction } from '$lib/server/forms';
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

/** The tree's forms repeat per node: each says in `_form` which one it is. */
const ownName = (v: Record<string, string>) => v._form;

export const actions: Actions = {
	add: formAction(
		{ fields: ['kind', 'parentId', 'name', '_form'], form: ownName, ok: (_, v) => m.admin_added({ name: v.name.trim() }) },
		(c) => addNode(c.database, c.actor, { kind: c.values.kind, parentId: c.values.parentId || null, name: c.values.name })
	),
	rename: formAction({ fields: ['nodeId', 'name', '_form'], form: ownName, ok: () => m.admin_renamed() }, (c) =>
		renameNode(c.database, c.actor, { nodeId: c.values.nodeId, name: c.values.name })
	),
	// A refusal shows at the node's own form; the confirmation in the list of archived nodes.
	archive: formAction({ fields: ['nodeId', '_form'], form: ownName, ok: () => ({ _form: 'archived', ok: m.admin_archived_ok() }) }, (c) =>
		archiveNode(c.database, c.actor, c.values.nodeId)
	),
	restore: formAction({ fields: ['nodeId', '_form'], form: ownName, ok: () => ({ _form: 'archived', ok: m.admin_restored() }) }, (c) =>
		restoreNode(c.database, c.actor, c.values.nodeId)
	)
};
