import { and, eq } from 'drizzle-orm';
import { ROLE_LABELS, type Actor } from '../../domain/access/policy.ts';
import type { Database } from '../db/client.ts';
import { orgNodes, roleGrants } from '../db/schema/index.ts';
import { grantInForce } from '../access.ts';
import type { OrgNode } from './tree.ts';
import { allNodes } from './tree.ts';

export async function grantsOfUser(database: Database, userId: string) {
	const rows = await database.db
		.select({ id: roleGrants.id, role: roleGrants.role, scopeId: roleGrants.scopeId, scopeName: orgNodes.name })
		.from(roleGrants)
		.leftJoin(orgNodes, eq(orgNodes.id, roleGrants.scopeId))
		.where(and(eq(roleGrants.userId, userId), grantInForce()));
	return rows.map((r) => ({ ...r, label: ROLE_LABELS[r.role] }));
}

/**
 * The compounds an actor's grants reach (a 居委 grant reaches every compound below it, a 片区
 * grant every compound of its 居委s; admin reaches all), for the management menu. Archived
 * compounds, and compounds under an archived node, are left out.
 */
export async function compoundsManagedBy(database: Database, actor: Actor): Promise<OrgNode[]> {
	const nodes = await allNodes(database);
	const byId = new Map(nodes.map((n) => [n.id, n]));
	const isAdmin = actor.grants.some((g) => g.role === 'admin');
	const scopes = new Set(actor.grants.filter((g) => g.role !== 'facilitator').map((g) => g.scopeId));
	return nodes
		.filter((n) => {
			if (n.kind !== 'compound') return false;
			let reached = isAdmin;
			for (let cur: (typeof nodes)[number] | undefined = n; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
				if (cur.archivedAt !== null) return false;
				if (scopes.has(cur.id)) reached = true;
			}
			return reached;
		})
		.map(({ archivedAt: _archived, ...node }): OrgNode => node);
}
