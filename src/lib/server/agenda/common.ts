import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Action, Actor, Target } from '../../domain/access/policy.ts';
import { ROLE_LABELS, decide } from '../../domain/access/policy.ts';
import { phaseAllows, phaseRefusal, type Capability, type Phase } from '../../domain/agenda/index.ts';
import type { Chain } from '../../domain/concerns/triage.ts';
import { DEFAULT_LIMITS, type TurnLimits } from '../../domain/deliberation/debate.ts';
import { compoundScopes, requireAccess } from '../access.ts';
import { m } from '../../paraglide/messages.js';
import type { Database, Db, Tx } from '../db/client.ts';
import { agendaItems, delibSessions, memberships, orgNodes, roleGrants, units, users } from '../db/schema/index.ts';
import { NotFound, RuleBroken } from '../errors.ts';

export type SessionRow = typeof delibSessions.$inferSelect;
export type ItemRow = typeof agendaItems.$inferSelect;

export function parseIds(json: string): string[] {
	const v = JSON.parse(json) as unknown;
	return Array.isArray(v) ? v.map(String) : [];
}

export async function loadSession(handle: Db | Tx, sessionId: string): Promise<SessionRow> {
	const [row] = await handle.select().from(delibSessions).where(eq(delibSessions.id, sessionId)).limit(1);
	if (!row) throw new NotFound(m.agenda_session_not_found());
	return row;
}

export async function loadItem(handle: Db | Tx, itemId: string): Promise<ItemRow> {
	const [row] = await handle.select().from(agendaItems).where(eq(agendaItems.id, itemId)).limit(1);
	if (!row) throw new NotFound(m.agenda_item_not_found());
	return row;
}

/** The access target of a session: its compounds (with ancestors) and its id, for session-scoped roles. */
export async function sessionTarget(database: Database, session: SessionRow): Promise<Target> {
	return { compounds: await compoundScopes(database, parseIds(session.compoundIds)), sessionId: session.id };
}

/**
 * Loads the session and refuses unless the actor may do one of `actions` in it (with the first one's
 * words); returns the session and its access target.
 */
export async function requireSessionAccess(
	database: Database,
	actor: Actor,
	sessionId: string,
	...actions: [Action, ...Action[]]
): Promise<{ session: SessionRow; target: Target }> {
	const session = await loadSession(database.db, sessionId);
	const target = await sessionTarget(database, session);
	if (!actions.some((action) => decide(actor, action, target).allowed)) requireAccess(actor, actions[0], target);
	return { session, target };
}

/** Refuses with the phase table's words unless the session's phase allows the capability. */
export function requirePhase(session: Pick<SessionRow, 'phase'>, capability: Capability): void {
	if (!phaseAllows(session.phase as Phase, capability)) throw new RuleBroken(phaseRefusal(session.phase as Phase, capability), 'phase');
}

export function limitsOf(session: SessionRow, item: ItemRow): TurnLimits {
	return {
		maxTurns: item.maxTurns ?? session.maxTurns ?? DEFAULT_LIMITS.maxTurns,
		maxChars: item.maxChars ?? session.maxChars ?? DEFAULT_LIMITS.maxChars,
		speakSeconds: item.speakSeconds ?? session.speakSeconds ?? DEFAULT_LIMITS.speakSeconds
	};
}

/** The actor's household among `compoundIds`, owners first; null when they have none there. */
export function homeIn(actor: Actor, compoundIds: readonly string[]): { unitId: string; compoundId: string } | null {
	const mine = actor.memberships.filter((m) => compoundIds.includes(m.compoundId));
	mine.sort((a, b) =>
		a.relation === b.relation ? compoundIds.indexOf(a.compoundId) - compoundIds.indexOf(b.compoundId) : a.relation === 'owner' ? -1 : 1
	);
	return mine[0] ? { unitId: mine[0].unitId, compoundId: mine[0].compoundId } : null;
}

/** A label for someone speaking without a household in the session: their strongest role. */
export function roleLabelOf(actor: Actor, sessionId: string | null): string {
	const order = ['facilitator', 'cluster_coordinator', 'committee_staff', 'owners_committee', 'admin'] as const;
	for (const role of order) {
		if (actor.grants.some((g) => g.role === role && (role !== 'facilitator' || g.scopeId === sessionId))) return ROLE_LABELS[role];
	}
	// Stored with the post (like ROLE_LABELS): Chinese, shown as written.
	return '参与者';
}

/** Compound chains with kinds, nearest first: [小区, 居委, 片区, 街道]. */
export async function chainsOf(handle: Db | Tx, compoundIds: readonly string[]): Promise<Chain[]> {
	const all = await handle
		.select({ id: orgNodes.id, kind: orgNodes.kind, parentId: orgNodes.parentId })
		.from(orgNodes)
		.where(inArray(orgNodes.kind, ['street', 'cluster', 'committee', 'compound']));
	const byId = new Map(all.map((n) => [n.id, n]));
	return compoundIds.map((id) => {
		const chain: { id: string; kind: (typeof all)[number]['kind'] }[] = [];
		let node = byId.get(id);
		if (!node || node.kind !== 'compound') throw new NotFound(m.agenda_compound_not_found());
		while (node && chain.length < 10) {
			chain.push({ id: node.id, kind: node.kind });
			node = node.parentId ? byId.get(node.parentId) : undefined;
		}
		return chain;
	});
}

export async function nodeNames(handle: Db | Tx, ids: readonly string[]): Promise<Map<string, { name: string; kind: string }>> {
	if (ids.length === 0) return new Map();
	const rows = await handle
		.select({ id: orgNodes.id, name: orgNodes.name, kind: orgNodes.kind })
		.from(orgNodes)
		.where(inArray(orgNodes.id, [...new Set(ids)]));
	return new Map(rows.map((r) => [r.id, { name: r.name, kind: r.kind }]));
}

/** Every 小区, by name: what a form offers to choose from. */
export async function compoundsByName(handle: Db | Tx): Promise<{ id: string; name: string }[]> {
	return handle
		.select({ id: orgNodes.id, name: orgNodes.name })
		.from(orgNodes)
		.where(eq(orgNodes.kind, 'compound'))
		.orderBy(asc(orgNodes.name));
}

export async function userNames(handle: Db | Tx, ids: readonly (string | null)[]): Promise<Map<string, string>> {
	const list = [...new Set(ids.filter((x): x is string => !!x))];
	if (list.length === 0) return new Map();
	const rows = await handle.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Holders of an active grant with exactly this role and scope. */
export async function grantHolders(
	handle: Db | Tx,
	role: (typeof roleGrants.$inferSelect)['role'],
	scopeIds: readonly string[]
): Promise<string[]> {
	if (scopeIds.length === 0) return [];
	const rows = await handle
		.select({ userId: roleGrants.userId })
		.from(roleGrants)
		.where(and(eq(roleGrants.role, role), inArray(roleGrants.scopeId, [...scopeIds]), isNull(roleGrants.revokedAt)));
	return [...new Set(rows.map((r) => r.userId))];
}

/** The user ids of everyone with a verified household in the session's compounds: who is told of its news. */
export async function sessionAudience(handle: Db | Tx, session: Pick<SessionRow, 'compoundIds'>): Promise<string[]> {
	return (await residentsOf(handle, parseIds(session.compoundIds))).map((r) => r.userId);
}

/** Everyone with a verified household in the compounds: the audience of a session. */
export async function residentsOf(handle: Db | Tx, compoundIds: readonly string[]): Promise<{ userId: string; compoundId: string }[]> {
	if (compoundIds.length === 0) return [];
	const rows = await handle
		.select({ userId: memberships.userId, compoundId: units.compoundId })
		.from(memberships)
		.innerJoin(units, eq(units.id, memberships.unitId))
		.where(and(inArray(units.compoundId, [...compoundIds]), isNull(memberships.revokedAt)))
		.orderBy(asc(memberships.userId));
	const seen = new Set<string>();
	return rows.filter((r) => (seen.has(r.userId) ? false : (seen.add(r.userId), true)));
}

export function cleanText(raw: unknown, max: number): string {
	return String(raw ?? '')
		.replace(/\r\n/g, '\n')
		.trim()
		.slice(0, max * 4) as string;
}

export function charCount(s: string): number {
	return [...s].length;
}
