import { and, eq, gt, inArray, isNull, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { decide, type Action, type Actor, type CompoundScope, type Target } from '../domain/access/policy.ts';
import { preparedPerHandle, type Database } from './db/client.ts';
import { memberships, roleGrants, units } from './db/schema/index.ts';
import { AccessDenied, NotFound } from './errors.ts';
import { clock } from './util/clock.ts';
import { m } from '../paraglide/messages.js';

/**
 * A grant counts when it is not revoked and `now` lies within its term (a 业委会 member's 任期):
 * one not yet started or already ended grants nothing. Every read of grants for access uses this.
 */
export function grantInForce(now: number | Placeholder = clock.now()): SQL {
	return and(
		isNull(roleGrants.revokedAt),
		or(isNull(roleGrants.validFrom), lte(roleGrants.validFrom, now)),
		or(isNull(roleGrants.validUntil), gt(roleGrants.validUntil, now))
	)!;
}

/** loadActor's two reads, built once per database handle (requireActor falls back to them after any write of the process). */
const grantsQuery = preparedPerHandle((reader) =>
	reader
		.select({ role: roleGrants.role, scopeId: roleGrants.scopeId })
		.from(roleGrants)
		.where(and(eq(roleGrants.userId, sql.placeholder('userId')), grantInForce(sql.placeholder('now'))))
		.prepare()
);
const membershipsQuery = preparedPerHandle((reader) =>
	reader
		.select({ unitId: memberships.unitId, relation: memberships.relation, compoundId: units.compoundId })
		.from(memberships)
		.innerJoin(units, eq(units.id, memberships.unitId))
		.where(and(eq(memberships.userId, sql.placeholder('userId')), isNull(memberships.revokedAt)))
		.prepare()
);

export async function loadActor(database: Database, userId: string): Promise<Actor> {
	const [grants, owned] = await Promise.all([
		grantsQuery(database.db).all({ userId, now: clock.now() }),
		membershipsQuery(database.db).all({ userId })
	]);
	return { userId, grants, memberships: owned };
}

/** A compound with its ancestor ids, read from the tree. */
export async function compoundScope(database: Database, compoundId: string): Promise<CompoundScope> {
	return (await compoundScopes(database, [compoundId]))[0];
}

/**
 * Chains already read, per database. The tree only grows: a node never changes parent or kind
 * and is never deleted (triggers of migration 0006 refuse it), so a compound's chain, once read,
 * is a fact; a compound created later is simply not here yet. Bounded, oldest dropped first.
 */
const knownChains = new WeakMap<Database, Map<string, string[]>>();
const MAX_KNOWN_CHAINS = 4_096;

/**
 * The compounds with their ancestor chains (compound → 居委 → 片区 → 街道 …, at most 10 nodes),
 * in the order given. One recursive query for the compounds not read before (a ballot of two
 * compounds cost eight round trips per page and per vote before; now one, once).
 */
export async function compoundScopes(database: Database, compoundIds: string[]): Promise<CompoundScope[]> {
	if (compoundIds.length === 0) return [];
	let known = knownChains.get(database);
	if (!known) knownChains.set(database, (known = new Map()));
	const missing = [...new Set(compoundIds)].filter((id) => !known.has(id));
	if (missing.length > 0) {
		const result = await database.client.execute({
			sql: `WITH RECURSIVE chain(start, id, kind, parent_id, depth) AS (
					SELECT id, id, kind, parent_id, 0 FROM org_nodes WHERE id IN (${missing.map(() => '?').join(', ')})
					UNION ALL
					SELECT chain.start, n.id, n.kind, n.parent_id, chain.depth + 1
					FROM org_nodes n JOIN chain ON n.id = chain.parent_id WHERE chain.depth < 9
				)
				SELECT start, id, kind, depth FROM chain ORDER BY start, depth`,
			args: missing
		});
		const chains = new Map<string, { id: string; kind: string }[]>();
		for (const row of result.rows) {
			const start = String(row.start);
			const list = chains.get(start) ?? [];
			list.push({ id: String(row.id), kind: String(row.kind) });
			chains.set(start, list);
		}
		for (const [start, chain] of chains) {
			// Only compounds are kept; anything else is refused below on every call.
			if (chain[0].kind !== 'compound') continue;
			if (known.size >= MAX_KNOWN_CHAINS) known.delete(known.keys().next().value!);
			known.set(
				start,
				chain.map((n) => n.id)
			);
		}
	}
	return compoundIds.map((id) => {
		const chain = known.get(id);
		if (!chain) throw new NotFound(m.access_no_compound());
		return { id, chain: [...chain] };
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
