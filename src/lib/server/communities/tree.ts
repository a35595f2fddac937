import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { orgNodes } from '../db/schema/index.ts';
import { writeEpoch } from '../db/write-queue.ts';
import { NotFound } from '../errors.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { m } from '../../paraglide/messages.js';

export type NodeKind = 'street' | 'cluster' | 'committee' | 'compound' | 'building';

export const KIND_LABELS: Record<NodeKind, string> = {
	street: '街道',
	cluster: '片区',
	committee: '居委',
	compound: '小区',
	building: '楼栋'
};

/** The kind as a page shows it, in the reader's language (KIND_LABELS stays Chinese for the CLI and stored text). */
export function kindLabel(kind: NodeKind): string {
	const labels: Record<NodeKind, () => string> = {
		street: m.admin_kind_street,
		cluster: m.admin_kind_cluster,
		committee: m.admin_kind_committee,
		compound: m.admin_kind_compound,
		building: m.admin_kind_building
	};
	return labels[kind]();
}

/** Where each kind sits in the tree: the kind its parent must be (a 街道 is a root). */
export const PARENT_KIND: Record<NodeKind, NodeKind | null> = {
	street: null,
	cluster: 'street',
	committee: 'cluster',
	compound: 'committee',
	building: 'compound'
};

export interface OrgNode {
	id: string;
	kind: NodeKind;
	name: string;
	parentId: string | null;
}

/**
 * Asked by the root layout on every page. Kept for at most a second and dropped by any write of
 * this process (loading or removing the demo is one), so it costs a query per second, not per page.
 */
let demoFlag: { database: Database; value: boolean; epoch: number; until: number } | null = null;
const DEMO_FLAG_TTL_MS = 1_000;

export async function hasDemoData(database: Database): Promise<boolean> {
	const cached = demoFlag;
	if (cached && cached.database === database && cached.epoch === writeEpoch() && cached.until > Date.now()) return cached.value;
	const epoch = writeEpoch();
	const rows = await database.db.select({ id: orgNodes.id }).from(orgNodes).where(eq(orgNodes.isDemo, true)).limit(1);
	const value = rows.length > 0;
	demoFlag = { database, value, epoch, until: Date.now() + DEMO_FLAG_TTL_MS };
	return value;
}

export async function getNode(database: Database, id: string, kind?: NodeKind): Promise<OrgNode> {
	const rows = await database.db
		.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name, parentId: orgNodes.parentId })
		.from(orgNodes)
		.where(kind ? and(eq(orgNodes.id, id), eq(orgNodes.kind, kind)) : eq(orgNodes.id, id))
		.limit(1);
	if (rows.length === 0)
		throw new NotFound(kind ? m.admin_tree_not_found_field({ kind: kindLabel(kind) }) : m.admin_grant_scope_unknown_field());
	return rows[0];
}

export async function childrenOf(database: Database, parentId: string, kind?: NodeKind): Promise<OrgNode[]> {
	return database.db
		.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name, parentId: orgNodes.parentId })
		.from(orgNodes)
		.where(kind ? and(eq(orgNodes.parentId, parentId), eq(orgNodes.kind, kind)) : eq(orgNodes.parentId, parentId))
		.orderBy(asc(orgNodes.name));
}

export async function nodesByIds(database: Database, ids: string[]): Promise<OrgNode[]> {
	if (ids.length === 0) return [];
	return database.db
		.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name, parentId: orgNodes.parentId })
		.from(orgNodes)
		.where(inArray(orgNodes.id, ids));
}

/** Every node, archived ones included (`archivedAt` set): choosers leave those and their subtrees out. */
export async function allNodes(database: Database): Promise<(OrgNode & { archivedAt: number | null })[]> {
	return database.db
		.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name, parentId: orgNodes.parentId, archivedAt: orgNodes.archivedAt })
		.from(orgNodes)
		.orderBy(asc(orgNodes.name));
}

/** Ancestors from the node itself up to the root. */
export async function pathOf(database: Database, id: string): Promise<OrgNode[]> {
	const path: OrgNode[] = [];
	let current: string | null = id;
	while (current && path.length < 10) {
		const node: OrgNode = await getNode(database, current);
		path.push(node);
		current = node.parentId;
	}
	return path;
}

export async function insertNode(
	tx: Tx,
	node: { kind: NodeKind; name: string; parentId: string | null; isDemo?: boolean; settings?: unknown; id?: string }
): Promise<string> {
	const id = node.id ?? newId();
	await tx.insert(orgNodes).values({
		id,
		kind: node.kind,
		name: node.name,
		parentId: node.parentId,
		isDemo: node.isDemo ?? false,
		settings: JSON.stringify(node.settings ?? {}),
		createdAt: clock.now()
	});
	return id;
}
