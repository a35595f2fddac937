import type { RequestEvent } from '@sveltejs/kit';
import { getDatabase } from '../db/client.ts';
import { setSessionCookie } from './cookies.ts';
import { createSession, generateSessionToken, invalidateSession } from './sessions.ts';

/** A fresh session on every login (no fixation): the old one, if any, is ended first. */
export async function signIn(event: RequestEvent, userId: string): Promise<void> {
	const database = getDatabase();
	if (event.locals.session) await invalidateSession(database, event.locals.session.id);
	const token = generateSessionToken();
	const session = await createSession(database, token, userId);
	setSessionCookie(event, token, session.expiresAt);
}
