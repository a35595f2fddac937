/**
 * Building the community tree (街道 → 片区 → 居委 → 小区 → 楼栋) from the administration area and
 * the admin command. A node is created under a parent of the right kind, renamed, or archived
 * (已停用) — never deleted or moved (migration 0006 refuses both): ballots, rosters and records
 * keep pointing at it. Access: `admin.tree` on the node's PARENT (see policy.ts).
 */
import { eq } from 'drizzle-orm';
import type { Actor, Target } from '../../domain/access/policy.ts';
import { requireAccess } from '../access.ts';
import type { Database } from '../db/client.ts';
import { orgNodes } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, refuseDuplicate } from '../errors.ts';
import { allNodes, getNode, insertNode, KIND_LABELS, kindLabel, PARENT_KIND, pathOf, type NodeKind } from '../communities/tree.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { m } from '../../paraglide/messages.js';

export const NODE_KINDS = Object.keys(PARENT_KIND) as NodeKind[];
const MAX_NAME = 40;

export interface TreeNode {
	id: string;
	kind: NodeKind;
	kindLabel: string;
	name: string;
	parentId: string | null;
	/** Archived itself, or below an archived node. */
	archived: boolean;
	depth: number;
	/** What the actor may do here: add a child of this kind (null: none), rename and archive it. */
	childKind: NodeKind | null;
	canEdit: boolean;
}

/** The access target for work on a node below `parentId`: the parent and its ancestors. */
export async function treeTarget(database: Database, parentId: string | null): Promise<Target> {
	if (parentId === null) return { compounds: [] };
	const chain = (await pathOf(database, parentId)).map((n) => n.id);
	return { compounds: [{ id: parentId, chain }] };
}

function cleanName(raw: string, kind: NodeKind): string {
	const name = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
	if (!name) throw new InvalidInput(m.admin_tree_name_missing({ kind: kindLabel(kind) }), { name: m.admin_tree_name_missing_field() });
	if (name.length > MAX_NAME)
		throw new InvalidInput(m.admin_tree_name_too_long({ max: MAX_NAME }), {
			name: m.admin_tree_name_too_long_field({ max: MAX_NAME })
		});
	return name;
}

function parseKind(raw: string): NodeKind {
	if ((NODE_KINDS as string[]).includes(raw)) return raw as NodeKind;
	const byLabel = NODE_KINDS.find((k) => KIND_LABELS[k] === raw.trim());
	if (byLabel) return byLabel;
	throw new InvalidInput(m.admin_tree_pick_kind(), { kind: m.admin_tree_pick_kind_field() });
}

function duplicateName(kind: NodeKind): InvalidInput {
	return new InvalidInput(m.admin_tree_duplicate({ kind: kindLabel(kind) }), { name: m.admin_tree_duplicate_field() });
}

export async function addNode(
	database: Database,
	actor: Actor,
	input: { kind: string; parentId: string | null; name: string }
): Promise<{ id: string }> {
	const kind = parseKind(input.kind);
	const parentId = input.parentId || null;
	const wanted = PARENT_KIND[kind];
	if (wanted === null && parentId !== null)
		throw new InvalidInput(m.admin_tree_street_is_top(), { parentId: m.admin_tree_street_no_parent() });
	if (wanted !== null) {
		if (parentId === null)
			throw new InvalidInput(m.admin_tree_pick_parent({ kind: kindLabel(kind), parent: kindLabel(wanted) }), {
				parentId: m.admin_tree_pick_parent_field()
			});
		const parent = await getNode(database, parentId);
		if (parent.kind !== wanted) {
			throw new InvalidInput(
				m.admin_tree_wrong_parent({ kind: kindLabel(kind), wanted: kindLabel(wanted), actual: kindLabel(parent.kind) }),
				{
					parentId: m.admin_tree_wrong_parent_field()
				}
			);
		}
	}
	requireAccess(actor, 'admin.tree', await treeTarget(database, parentId));
	if (parentId !== null && (await isArchived(database, parentId))) throw new RuleBroken(m.admin_tree_parent_archived());
	const name = cleanName(input.name, kind);
	const id = await refuseDuplicate(
		database.write(async (tx) => {
			// SQLite treats NULL parents as distinct in the unique index: check roots by hand.
			if (parentId === null) {
				const roots = await tx
					.select({ name: orgNodes.name, parentId: orgNodes.parentId })
					.from(orgNodes)
					.where(eq(orgNodes.name, name));
				if (roots.some((r) => r.parentId === null)) throw duplicateName(kind);
			}
			const id = await insertNode(tx, { kind, name, parentId });
			await audit(tx, {
				actorId: actor.userId,
				action: 'node.create',
				subjectType: 'org_node',
				subjectId: id,
				detail: { kind, name, parentId }
			});
			return id;
		}),
		duplicateName(kind)
	);
	return { id };
}

export async function renameNode(database: Database, actor: Actor, input: { nodeId: string; name: string }): Promise<void> {
	const node = await getNode(database, input.nodeId);
	requireAccess(actor, 'admin.tree', await treeTarget(database, node.parentId));
	const name = cleanName(input.name, node.kind);
	if (name === node.name) return;
	await refuseDuplicate(
		database.write(async (tx) => {
			if (node.parentId === null) {
				const roots = await tx
					.select({ id: orgNodes.id, parentId: orgNodes.parentId })
					.from(orgNodes)
					.where(eq(orgNodes.name, name));
				if (roots.some((r) => r.parentId === null && r.id !== node.id)) throw duplicateName(node.kind);
			}
			await tx.update(orgNodes).set({ name }).where(eq(orgNodes.id, node.id));
			await audit(tx, {
				actorId: actor.userId,
				action: 'node.rename',
				subjectType: 'org_node',
				subjectId: node.id,
				detail: { from: node.name, to: name }
			});
		}),
		duplicateName(node.kind)
	);
}

/** 停用: the node and everything below it leave the choosers. Its history stays as it was. */
export async function archiveNode(database: Database, actor: Actor, nodeId: string): Promise<void> {
	await setArchived(database, actor, nodeId, true);
}

/** 恢复使用: undoes an archive made by mistake. */
export async function restoreNode(database: Database, actor: Actor, nodeId: string): Promise<void> {
	await setArchived(database, actor, nodeId, false);
}

/** Archives or restores a node; nothing happens (and nothing is logged) when it is so already. */
async function setArchived(database: Database, actor: Actor, nodeId: string, archive: boolean): Promise<void> {
	const node = await getNode(database, nodeId);
	requireAccess(actor, 'admin.tree', await treeTarget(database, node.parentId));
	await database.write(async (tx) => {
		const [row] = await tx.select({ archivedAt: orgNodes.archivedAt }).from(orgNodes).where(eq(orgNodes.id, nodeId));
		if ((row.archivedAt !== null) === archive) return;
		await tx
			.update(orgNodes)
			.set({ archivedAt: archive ? clock.now() : null })
			.where(eq(orgNodes.id, nodeId));
		await audit(tx, {
			actorId: actor.userId,
			action: archive ? 'node.archive' : 'node.restore',
			subjectType: 'org_node',
			subjectId: nodeId,
			detail: { kind: node.kind, name: node.name }
		});
	});
}

async function isArchived(database: Database, nodeId: string): Promise<boolean> {
	const nodes = await allNodes(database);
	const byId = new Map(nodes.map((n) => [n.id, n]));
	for (let cur = byId.get(nodeId); cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) if (cur.archivedAt !== null) return true;
	return false;
}

/** A node and where it sits, for a kind check on an id typed at the command line. */
export async function nodeOfKind(database: Database, id: string, kind: NodeKind) {
	try {
		return await getNode(database, id, kind);
	} catch (e) {
		if (e instanceof NotFound)
			throw new InvalidInput(m.admin_tree_not_found({ kind: kindLabel(kind) }), {
				scopeId: m.admin_tree_not_found_field({ kind: kindLabel(kind) })
			});
		throw e;
	}
}

/**
 * The tree as the actor may see it, depth-first, each node with what the actor may do there.
 * The administrator sees everything; a 居委 worker sees their 居委 and everything below it.
 */
export async function treeFor(database: Database, actor: Actor, options: { includeArchived?: boolean } = {}): Promise<TreeNode[]> {
	const nodes = await allNodes(database);
	const isAdmin = actor.grants.some((g) => g.role === 'admin');
	const staffOf = new Set(actor.grants.filter((g) => g.role === 'committee_staff').map((g) => g.scopeId));
	const children = new Map<string | null, typeof nodes>();
	for (const n of nodes) {
		const list = children.get(n.parentId) ?? [];
		list.push(n);
		children.set(n.parentId, list);
	}
	const out: TreeNode[] = [];
	const walk = (parentId: string | null, depth: number, archivedAbove: boolean, visible: boolean, editable: boolean) => {
		for (const n of children.get(parentId) ?? []) {
			const archived = archivedAbove || n.archivedAt !== null;
			const seen = visible || isAdmin || staffOf.has(n.id);
			// A 居委 worker edits below their 居委 (its 小区 and 楼栋), not the 居委 itself.
			const mayEditHere = isAdmin || editable;
			const mayEditBelow = isAdmin || editable || staffOf.has(n.id);
			if (seen && (options.includeArchived || !archived)) {
				const childKind = NODE_KINDS.find((k) => PARENT_KIND[k] === n.kind) ?? null;
				out.push({
					id: n.id,
					kind: n.kind,
					kindLabel: kindLabel(n.kind),
					name: n.name,
					parentId: n.parentId,
					archived,
					depth,
					childKind: mayEditBelow && !archived ? childKind : null,
					canEdit: mayEditHere && !archivedAbove
				});
			}
			walk(n.id, seen ? depth + 1 : depth, archived, seen, mayEditBelow);
		}
	};
	walk(null, 0, false, false, false);
	return out;
}
