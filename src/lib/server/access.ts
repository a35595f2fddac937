import { and, eq, inArray, isNull } from 'drizzle-orm';
import { decide, type Action, type Actor, type CompoundScope, type Target } from '../domain/access/policy.ts';
import type { Database } from './db/client.ts';
import { memberships, orgNodes, roleGrants, units } from './db/schema/index.ts';
import { AccessDenied, NotFound } from './errors.ts';

export async function loadActor(database: Database, userId: string): Promise<Actor> {
	const [grants, owned] = await Promise.all([
		database.db
			.select({ role: roleGrants.role, scopeId: roleGrants.scopeId })
			.from(roleGrants)
			.where(and(eq(roleGrants.userId, userId), isNull(roleGrants.revokedAt))),
		database.db
			.select({ unitId: memberships.unitId, relation: memberships.relation, compoundId: units.compoundId })
			.from(memberships)
			.innerJoin(units, eq(units.id, memberships.unitId))
			.where(and(eq(memberships.userId, userId), isNull(memberships.revokedAt)))
	]);
	return { userId, grants, memberships: owned };
}

/** A compound with its ancestor ids, read from the tree. */
export async function compoundScope(database: Database, compoundId: string): Promise<CompoundScope> {
	const chain: string[] = [];
	let id: string | null = compoundId;
	let first = true;
	while (id && chain.length < 10) {
		const rows: { id: string; kind: string; parentId: string | null }[] = await database.db
			.select({ id: orgNodes.id, kind: orgNodes.kind, parentId: orgNodes.parentId })
			.from(orgNodes)
			.where(eq(orgNodes.id, id))
			.limit(1);
		if (rows.length === 0) break;
		if (first && rows[0].kind !== 'compound') throw new NotFound('没有这个小区');
		first = false;
		chain.push(rows[0].id);
		id = rows[0].parentId;
	}
	if (chain.length === 0) throw new NotFound('没有这个小区');
	return { id: compoundId, chain };
}

export async function compoundScopes(database: Database, compoundIds: string[]): Promise<CompoundScope[]> {
	return Promise.all(compoundIds.map((id) => compoundScope(database, id)));
}

/** Throws AccessDenied with the policy's Chinese reason unless the actor may act. */
export function requireAccess(actor: Actor | null, action: Action, target: Target): Actor {
	const decision = decide(actor, action, target);
	if (!decision.allowed) throw new AccessDenied(decision.reason);
	return actor as Actor;
}

export async function unitCompoundIds(database: Database, unitIds: string[]): Promise<Map<string, string>> {
	if (unitIds.length === 0) return new Map();
	const rows = await database.db.select({ id: units.id, compoundId: units.compoundId }).from(units).where(inArray(units.id, unitIds));
	return new Map(rows.map((r) => [r.id, r.compoundId]));
}
