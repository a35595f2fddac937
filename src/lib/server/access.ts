import { and, eq, inArray, isNull } from 'drizzle-orm';
import { decide, type Action, type Actor, type CompoundScope, type Target } from '../domain/access/policy.ts';
import type { Database } from './db/client.ts';
import { memberships, roleGrants, units } from './db/schema/index.ts';
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
	return (await compoundScopes(database, [compoundId]))[0];
}

/**
 * The compounds with their ancestor chains (compound → 居委 → 片区 → 街道 …, at most 10 nodes),
 * in the order given. One recursive query for all of them instead of one query per tree level per
 * compound (a ballot of two compounds cost eight round trips on every page and every vote). Read
 * fresh each time, so a change to the tree is seen at once, in this process and in any other.
 */
export async function compoundScopes(database: Database, compoundIds: string[]): Promise<CompoundScope[]> {
	if (compoundIds.length === 0) return [];
	const unique = [...new Set(compoundIds)];
	const result = await database.client.execute({
		sql: `WITH RECURSIVE chain(start, id, kind, parent_id, depth) AS (
				SELECT id, id, kind, parent_id, 0 FROM org_nodes WHERE id IN (${unique.map(() => '?').join(', ')})
				UNION ALL
				SELECT chain.start, n.id, n.kind, n.parent_id, chain.depth + 1 FROM org_nodes n JOIN chain ON n.id = chain.parent_id WHERE chain.depth < 9
			)
			SELECT start, id, kind, depth FROM chain ORDER BY start, depth`,
		args: unique
	});
	const chains = new Map<string, { id: string; kind: string }[]>();
	for (const row of result.rows) {
		const start = String(row.start);
		const list = chains.get(start) ?? [];
		list.push({ id: String(row.id), kind: String(row.kind) });
		chains.set(start, list);
	}
	return compoundIds.map((id) => {
		const chain = chains.get(id);
		if (!chain || chain[0].kind !== 'compound') throw new NotFound('没有这个小区');
		return { id, chain: chain.map((n) => n.id) };
	});
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
