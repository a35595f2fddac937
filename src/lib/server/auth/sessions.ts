import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
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

export async function invalidateSession(database: Database, sessionId: string): Promise<void> {
	await database.write((tx) => tx.delete(sessions).where(eq(sessions.id, sessionId)));
}

/** 退出所有设备: ends every session of the user. */
export async function invalidateAllSessions(database: Database, userId: string): Promise<void> {
	await database.write((tx) => tx.delete(sessions).where(eq(sessions.userId, userId)));
}
