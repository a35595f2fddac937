import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Database } from '../db/client.ts';
import { sessions, users } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';

export const SESSION_COOKIE = 'yishi_session';
const DAY = 24 * 60 * 60 * 1000;
/** Idle sessions end after 30 days; active ones are extended, but never past 90 days. */
export const SLIDING_MS = 30 * DAY;
export const ABSOLUTE_MS = 90 * DAY;

export interface Session {
	id: string;
	userId: string;
	expiresAt: number;
	absoluteExpiresAt: number;
}
export interface SessionUser {
	id: string;
	login: string;
	displayName: string;
	isDemo: boolean;
}

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(database: Database, token: string, userId: string): Promise<Session> {
	const now = clock.now();
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		expiresAt: now + SLIDING_MS,
		absoluteExpiresAt: now + ABSOLUTE_MS
	};
	await database.write((tx) => tx.insert(sessions).values({ ...session, createdAt: now }));
	return session;
}

export async function validateSessionToken(
	database: Database,
	token: string
): Promise<{ session: Session; user: SessionUser } | { session: null; user: null }> {
	const id = sessionIdFromToken(token);
	const rows = await database.db
		.select({ session: sessions, user: { id: users.id, login: users.login, displayName: users.displayName, isDemo: users.isDemo } })
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, id))
		.limit(1);
	if (rows.length === 0) return { session: null, user: null };
	const { session: row, user } = rows[0];
	return checkSession(database, row, user);
}

async function checkSession(
	database: Database,
	row: Session,
	user: SessionUser
): Promise<{ session: Session; user: SessionUser } | { session: null; user: null }> {
	const id = row.id;
	const now = clock.now();
	if (now >= row.expiresAt || now >= row.absoluteExpiresAt) {
		await database.write((tx) => tx.delete(sessions).where(eq(sessions.id, id)));
		return { session: null, user: null };
	}
	const session: Session = { id: row.id, userId: row.userId, expiresAt: row.expiresAt, absoluteExpiresAt: row.absoluteExpiresAt };
	// Slide only when half the window is used, so most requests do not write.
	if (now >= row.expiresAt - SLIDING_MS / 2) {
		session.expiresAt = Math.min(now + SLIDING_MS, row.absoluteExpiresAt);
		await database.write((tx) => tx.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id)));
	}
	return { session, user };
}

/**
 * validateSessionToken plus the user's actor (active grants and memberships), in one statement
 * instead of three: the request hook runs it for every signed-in request, and nearly every such
 * request needs the actor (the layout's menu, requireActor). The actor is as of this read.
 * `renewed`: this read moved the session's expiry (sliding), so the cookie's must follow.
 */
export async function validateSessionAndActor(
	database: Database,
	token: string
): Promise<
	{ session: Session; user: SessionUser; actor: Actor; renewed: boolean } | { session: null; user: null; actor: null; renewed: false }
> {
	const id = sessionIdFromToken(token);
	const result = await database.client.execute({ sql: SESSION_AND_ACTOR_SQL, args: [clock.now(), id] });
	const row = result.rows[0] as unknown as
		| {
				id: string;
				user_id: string;
				expires_at: number;
				absolute_expires_at: number;
				login: string;
				display_name: string;
				is_demo: number;
				grants: string;
				owned: string;
		  }
		| undefined;
	if (!row) return { session: null, user: null, actor: null, renewed: false };
	const checked = await checkSession(
		database,
		{ id: row.id, userId: row.user_id, expiresAt: Number(row.expires_at), absoluteExpiresAt: Number(row.absolute_expires_at) },
		{ id: row.user_id, login: row.login, displayName: row.display_name, isDemo: Boolean(row.is_demo) }
	);
	if (!checked.session) return { session: null, user: null, actor: null, renewed: false };
	const grants = (JSON.parse(row.grants) as [string, string | null][]).map(([role, scopeId]) => ({ role, scopeId })) as Actor['grants'];
	const memberships = (JSON.parse(row.owned) as [string, string, string][]).map(([unitId, relation, compoundId]) => ({
		unitId,
		relation,
		compoundId
	})) as Actor['memberships'];
	const renewed = checked.session.expiresAt !== Number(row.expires_at);
	return { ...checked, actor: { userId: row.user_id, grants, memberships }, renewed };
}

/** The same rows as loadActor's two queries (grants in force, as grantInForce; active memberships with their unit's compound). */
const SESSION_AND_ACTOR_SQL = `SELECT s.id, s.user_id, s.expires_at, s.absolute_expires_at, u.login, u.display_name, u.is_demo,
	(SELECT json_group_array(json_array(g.role, g.scope_id)) FROM role_grants g WHERE g.user_id = s.user_id AND g.revoked_at IS NULL
		AND (g.valid_from IS NULL OR g.valid_from <= ?1) AND (g.valid_until IS NULL OR g.valid_until > ?1)) AS grants,
	(SELECT json_group_array(json_array(m.unit_id, m.relation, un.compound_id)) FROM memberships m JOIN units un ON un.id = m.unit_id
		WHERE m.user_id = s.user_id AND m.revoked_at IS NULL) AS owned
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?2 LIMIT 1`;

export async function invalidateSession(database: Database, sessionId: string): Promise<void> {
	await database.write((tx) => tx.delete(sessions).where(eq(sessions.id, sessionId)));
}

/** 退出所有设备: ends every session of the user. */
export async function invalidateAllSessions(database: Database, userId: string): Promise<void> {
	await database.write((tx) => tx.delete(sessions).where(eq(sessions.userId, userId)));
}
