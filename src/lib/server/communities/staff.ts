import { and, eq, isNull } from 'drizzle-orm';
import { ROLE_LABELS, type Actor } from '../../domain/access/policy.ts';
import type { Database } from '../db/client.ts';
import { orgNodes, roleGrants } from '../db/schema/index.ts';
import type { OrgNode } from './tree.ts';
import { allNodes } from './tree.ts';

export async function grantsOfUser(database: Database, userId: string) {
	const rows = await database.db
		.select({ id: roleGrants.id, role: roleGrants.role, scopeId: roleGrants.scopeId, scopeName: orgNodes.name })
		.from(roleGrants)
		.leftJoin(orgNodes, eq(orgNodes.id, roleGrants.scopeId))
		.where(and(eq(roleGrants.userId, userId), isNull(roleGrants.revokedAt)));
	return rows.map((r) => ({ ...r, label: ROLE_LABELS[r.role] }));
}

/**
 * The compounds an actor's grants reach (a 居委 grant reaches every compound below it, a 片区
 * grant every compound of its 居委s; admin reaches all), for the management menu.
 */
export async function compoundsManagedBy(database: Database, actor: Actor): Promise<OrgNode[]> {
	const nodes = await allNodes(database);
	const byId = new Map(nodes.map((n) => [n.id, n]));
	const isAdmin = actor.grants.some((g) => g.role === 'admin');
	const scopes = new Set(actor.grants.filter((g) => g.role !== 'facilitator').map((g) => g.scopeId));
	return nodes.filter((n) => {
		if (n.kind !== 'compound') return false;
		if (isAdmin) return true;
		for (let cur: OrgNode | undefined = n; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
			if (scopes.has(cur.id)) return true;
		}
		return false;
	});
}
