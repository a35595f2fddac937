/**
 * Granting and revoking scoped roles (DOMAIN.md §9). The administrator grants every role; a 居委
 * worker appoints and removes 业委会 members of the 小区 under their 居委. A 业委会 member holds a
 * term (任期): outside it the grant grants nothing (access.ts `grantInForce`). A grant is revoked
 * by stamping it, never deleted; every grant and revoke is in the audit log.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { ROLE_LABELS, type Actor, type Role } from '../../domain/access/policy.ts';
import { DAY_MS, chinaDateString, chinaDayStart, notADate, notADateField } from '../../domain/time/china-date.ts';
import { compoundScope, requireAccess } from '../access.ts';
import { normaliseLogin } from '../auth/accounts.ts';
import type { Database } from '../db/client.ts';
import { delibSessions, orgNodes, roleGrants, users } from '../db/schema/index.ts';
import { InvalidInput, NotFound, refuseDuplicate } from '../errors.ts';
import { allNodes, kindLabel, type NodeKind } from '../communities/tree.ts';
import { m } from '../../paraglide/messages.js';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';

export const ROLES = Object.keys(ROLE_LABELS) as Role[];

/** What each role is scoped to: tree kinds, an agenda session, or nothing (admin). */
const SCOPES: Record<Role, { kinds: NodeKind[]; session: boolean }> = {
	admin: { kinds: [], session: false },
	committee_staff: { kinds: ['committee'], session: false },
	owners_committee: { kinds: ['compound'], session: false },
	cluster_coordinator: { kinds: ['cluster'], session: false },
	facilitator: { kinds: [], session: true },
	scrutineer: { kinds: ['street', 'cluster', 'committee', 'compound'], session: true }
};

export function scopeHint(role: Role): string {
	const s = SCOPES[role];
	const parts = s.kinds.map((k) => kindLabel(k));
	if (s.session) parts.push(m.admin_scope_session());
	return parts.join(m.admin_scope_or());
}

/** The role as a page shows it, in the reader's language (ROLE_LABELS stays Chinese for stored text). */
export function roleLabel(role: Role): string {
	const labels: Record<Role, () => string> = {
		committee_staff: m.admin_role_committee_staff,
		owners_committee: m.admin_role_owners_committee,
		cluster_coordinator: m.admin_role_cluster_coordinator,
		facilitator: m.admin_role_facilitator,
		scrutineer: m.admin_role_scrutineer,
		admin: m.admin_role_admin
	};
	return labels[role]();
}

export interface GrantInput {
	login: string;
	role: string;
	scopeId?: string | null;
	/** YYYY-MM-DD, China time; required for 业委会 members. */
	from?: string;
	to?: string;
}

export interface GrantRow {
	id: string;
	userId: string;
	login: string;
	displayName: string;
	role: Role;
	roleLabel: string;
	scopeId: string | null;
	scopeName: string | null;
	validFrom: string | null;
	validTo: string | null;
	status: 'active' | 'not_started' | 'ended';
	statusLabel: string;
}

async function findUser(database: Database, rawLogin: string) {
	const login = normaliseLogin(rawLogin) ?? rawLogin.normalize('NFKC').trim().toLowerCase();
	if (!login) throw new InvalidInput(m.admin_grant_login_missing(), { login: m.admin_grant_fill() });
	const [user] = await database.db
		.select({ id: users.id, login: users.login, displayName: users.displayName })
		.from(users)
		.where(eq(users.login, login))
		.limit(1);
	if (!user) throw new InvalidInput(m.admin_grant_login_unknown(), { login: m.admin_grant_login_unknown_field() });
	return user;
}

function parseRole(raw: string): Role {
	if ((ROLES as string[]).includes(raw)) return raw as Role;
	throw new InvalidInput(m.admin_grant_pick_role(), { role: m.admin_grant_pick_role() });
}

async function checkScope(database: Database, role: Role, scopeId: string | null): Promise<string | null> {
	const rule = SCOPES[role];
	if (rule.kinds.length === 0 && !rule.session) return null;
	if (!scopeId)
		throw new InvalidInput(m.admin_grant_pick_scope({ hint: scopeHint(role) }), { scopeId: m.admin_grant_pick_scope_field() });
	const [node] = await database.db
		.select({ kind: orgNodes.kind, archivedAt: orgNodes.archivedAt })
		.from(orgNodes)
		.where(eq(orgNodes.id, scopeId))
		.limit(1);
	if (node) {
		if (!rule.kinds.includes(node.kind))
			throw new InvalidInput(m.admin_grant_wrong_scope({ hint: scopeHint(role), kind: kindLabel(node.kind) }), {
				scopeId: m.admin_grant_wrong_scope_field()
			});
		if (node.archivedAt !== null)
			throw new InvalidInput(m.admin_grant_scope_archived(), { scopeId: m.admin_grant_scope_archived_field() });
		return scopeId;
	}
	if (rule.session) {
		const [session] = await database.db
			.select({ id: delibSessions.id })
			.from(delibSessions)
			.where(eq(delibSessions.id, scopeId))
			.limit(1);
		if (session) return scopeId;
	}
	throw new InvalidInput(m.admin_grant_scope_unknown({ hint: scopeHint(role) }), { scopeId: m.admin_grant_scope_unknown_field() });
}

/** 业委会 grants are the 居委's business (`admin.grant_committee` on the compound); the rest the admin's. */
async function requireGrantAccess(database: Database, actor: Actor, role: Role, scopeId: string | null) {
	if (role === 'owners_committee' && scopeId)
		requireAccess(actor, 'admin.grant_committee', { compounds: [await compoundScope(database, scopeId)] });
	else requireAccess(actor, 'admin.grant', { compounds: [] });
}

/** Dates are days in China time: a term from 2026-01-01 to 2028-12-31 covers both whole days. */
function termOf(role: Role, from: string | undefined, to: string | undefined): { validFrom: number | null; validUntil: number | null } {
	const fields: Record<string, string> = {};
	const f = from?.trim() ? chinaDayStart(from) : null;
	const t = to?.trim() ? chinaDayStart(to) : null;
	if (from?.trim() && f === null) fields.from = notADateField();
	if (to?.trim() && t === null) fields.to = notADateField();
	if (role === 'owners_committee') {
		if (!from?.trim()) fields.from = m.admin_grant_from_missing();
		if (!to?.trim()) fields.to = m.admin_grant_to_missing();
	}
	if (f !== null && t !== null && t < f) fields.to = m.admin_grant_to_before_from();
	const notADay = (from?.trim() && f === null) || (to?.trim() && t === null);
	if (notADay)
		throw new InvalidInput(
			from?.trim() && f === null ? notADate(m.admin_grant_from_what()) : notADate(m.admin_grant_to_what()),
			fields
		);
	if (Object.keys(fields).length > 0)
		throw new InvalidInput(role === 'owners_committee' ? m.admin_grant_term_needed() : m.admin_grant_check_dates(), fields);
	return { validFrom: f, validUntil: t === null ? null : t + DAY_MS };
}

export async function grantRole(database: Database, actor: Actor, input: GrantInput): Promise<{ grantId: string; userId: string }> {
	const role = parseRole(input.role);
	const scopeId = await checkScope(database, role, input.scopeId?.trim() || null);
	await requireGrantAccess(database, actor, role, scopeId);
	const user = await findUser(database, input.login);
	const term = termOf(role, input.from, input.to);
	const grantId = newId();
	await refuseDuplicate(
		database.write(async (tx) => {
			const now = clock.now();
			// The same role and scope held before under a term that has ended: that grant closes
			// here, so the new term can start (one open grant per person, role and scope).
			const existing = await tx
				.select({ id: roleGrants.id, validUntil: roleGrants.validUntil })
				.from(roleGrants)
				.where(
					and(
						eq(roleGrants.userId, user.id),
						eq(roleGrants.role, role),
						scopeId === null ? isNull(roleGrants.scopeId) : eq(roleGrants.scopeId, scopeId),
						isNull(roleGrants.revokedAt)
					)
				);
			for (const old of existing) {
				if (old.validUntil === null || old.validUntil > now)
					throw new InvalidInput(m.admin_grant_already({ name: user.displayName, role: roleLabel(role) }), {
						login: m.admin_grant_already_field()
					});
				await tx.update(roleGrants).set({ revokedAt: now }).where(eq(roleGrants.id, old.id));
				await audit(tx, {
					actorId: actor.userId,
					action: 'role.close_ended',
					subjectType: 'user',
					subjectId: user.id,
					detail: { grantId: old.id, role, scopeId }
				});
			}
			await tx
				.insert(roleGrants)
				.values({ id: grantId, userId: user.id, role, scopeId, grantedBy: actor.userId, grantedAt: now, ...term });
			await audit(tx, {
				actorId: actor.userId,
				action: 'role.grant',
				subjectType: 'user',
				subjectId: user.id,
				detail: { grantId, role, scopeId, validFrom: term.validFrom, validUntil: term.validUntil }
			});
		}),
		new InvalidInput(m.admin_grant_already({ name: user.displayName, role: roleLabel(role) }), {
			login: m.admin_grant_already_field()
		})
	);
	return { grantId, userId: user.id };
}

export async function revokeGrant(database: Database, actor: Actor, grantId: string): Promise<void> {
	const [grant] = await database.db.select().from(roleGrants).where(eq(roleGrants.id, grantId)).limit(1);
	if (!grant) throw new NotFound(m.admin_grant_not_found());
	await requireGrantAccess(database, actor, grant.role, grant.scopeId);
	if (grant.role === 'admin' && grant.userId === actor.userId) throw new InvalidInput(m.admin_grant_not_self());
	await database.write(async (tx) => {
		const done = await tx
			.update(roleGrants)
			.set({ revokedAt: clock.now() })
			.where(and(eq(roleGrants.id, grantId), isNull(roleGrants.revokedAt)))
			.returning({ id: roleGrants.id });
		if (done.length === 0) return;
		await audit(tx, {
			actorId: actor.userId,
			action: 'role.revoke',
			subjectType: 'user',
			subjectId: grant.userId,
			detail: { grantId, role: grant.role, scopeId: grant.scopeId }
		});
	});
}

/**
 * The grants the actor can manage, not revoked (ended terms included, marked): everything for the
 * administrator, the 业委会 members of their 小区 for a 居委 worker.
 */
export async function grantsManagedBy(database: Database, actor: Actor): Promise<GrantRow[]> {
	const isAdmin = actor.grants.some((g) => g.role === 'admin');
	let compoundIds: string[] | null = null;
	if (!isAdmin) {
		const staffOf = new Set(actor.grants.filter((g) => g.role === 'committee_staff').map((g) => g.scopeId));
		if (staffOf.size === 0) return [];
		compoundIds = (await allNodes(database))
			.filter((n) => n.kind === 'compound' && n.parentId !== null && staffOf.has(n.parentId))
			.map((n) => n.id);
		if (compoundIds.length === 0) return [];
	}
	const rows = await database.db
		.select({
			id: roleGrants.id,
			userId: roleGrants.userId,
			login: users.login,
			displayName: users.displayName,
			role: roleGrants.role,
			scopeId: roleGrants.scopeId,
			scopeName: orgNodes.name,
			validFrom: roleGrants.validFrom,
			validUntil: roleGrants.validUntil
		})
		.from(roleGrants)
		.innerJoin(users, eq(users.id, roleGrants.userId))
		.leftJoin(orgNodes, eq(orgNodes.id, roleGrants.scopeId))
		.where(
			compoundIds === null
				? isNull(roleGrants.revokedAt)
				: and(isNull(roleGrants.revokedAt), eq(roleGrants.role, 'owners_committee'), inArray(roleGrants.scopeId, compoundIds))
		)
		.orderBy(asc(roleGrants.role), asc(orgNodes.name), desc(roleGrants.grantedAt));
	const sessionIds = rows.filter((r) => r.scopeId && r.scopeName === null).map((r) => r.scopeId!);
	const sessionTitles = new Map(
		sessionIds.length === 0
			? []
			: (
					await database.db
						.select({ id: delibSessions.id, title: delibSessions.title })
						.from(delibSessions)
						.where(inArray(delibSessions.id, sessionIds))
				).map((s) => [s.id, s.title])
	);
	const now = clock.now();
	return rows.map((r) => {
		const status =
			r.validFrom !== null && r.validFrom > now ? 'not_started' : r.validUntil !== null && r.validUntil <= now ? 'ended' : 'active';
		return {
			id: r.id,
			userId: r.userId,
			login: r.login,
			displayName: r.displayName,
			role: r.role,
			roleLabel: roleLabel(r.role),
			scopeId: r.scopeId,
			scopeName: r.scopeName ?? (r.scopeId ? (sessionTitles.get(r.scopeId) ?? r.scopeId) : null),
			validFrom: r.validFrom === null ? null : chinaDateString(r.validFrom),
			validTo: r.validUntil === null ? null : chinaDateString(r.validUntil - DAY_MS),
			status,
			statusLabel:
				status === 'active'
					? r.validFrom !== null || r.validUntil !== null
						? m.admin_status_in_term()
						: m.admin_status_valid()
					: status === 'not_started'
						? m.admin_status_not_started()
						: m.admin_status_ended()
		};
	});
}

/** The scopes the actor may pick for a role in the grant form (archived nodes left out). */
export async function scopeChoices(
	database: Database,
	actor: Actor
): Promise<{ role: Role; label: string; scopes: { id: string; name: string }[] }[]> {
	const nodes = await allNodes(database);
	const byId = new Map(nodes.map((n) => [n.id, n]));
	const live = (id: string): boolean => {
		for (let cur = byId.get(id); cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined)
			if (cur.archivedAt !== null) return false;
		return true;
	};
	const isAdmin = actor.grants.some((g) => g.role === 'admin');
	const staffOf = new Set(actor.grants.filter((g) => g.role === 'committee_staff').map((g) => g.scopeId));
	const nameOf = (id: string) => {
		const n = byId.get(id)!;
		const parent = n.parentId ? byId.get(n.parentId) : undefined;
		return parent && n.kind === 'compound' ? `${n.name}（${parent.name}）` : n.name;
	};
	const roles = isAdmin ? ROLES : staffOf.size > 0 ? (['owners_committee'] as Role[]) : [];
	const sessions = isAdmin
		? (
				await database.db
					.select({ id: delibSessions.id, title: delibSessions.title })
					.from(delibSessions)
					.orderBy(asc(delibSessions.title))
			).map((s) => ({
				id: s.id,
				name: m.admin_scope_option({ kind: m.admin_scope_session(), name: s.title })
			}))
		: [];
	return roles.map((role) => {
		const kinds = SCOPES[role].kinds;
		const scopes = nodes
			.filter((n) => kinds.includes(n.kind) && live(n.id) && (isAdmin || (n.parentId !== null && staffOf.has(n.parentId))))
			.map((n) => ({ id: n.id, name: m.admin_scope_option({ kind: kindLabel(n.kind), name: nameOf(n.id) }) }));
		return { role, label: roleLabel(role), scopes: SCOPES[role].session ? [...scopes, ...sessions] : scopes };
	});
}

/** Whether any administrator grant exists (the setup link is offered only while none does). */
export async function administratorExists(database: Database): Promise<boolean> {
	const rows = await database.db
		.select({ id: roleGrants.id })
		.from(roleGrants)
		.where(and(eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt)))
		.limit(1);
	return rows.length > 0;
}
