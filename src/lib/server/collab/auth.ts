/**
 * Auth extension: who is connecting, and may they read or edit this alternative?
 *
 * Credentials, in order: the provider's `token` (HocuspocusProvider({ token })) — the same session
 * token as the `yishi_session` cookie, for clients that cannot send cookies — else the
 * `yishi_session` cookie of the upgrade request (same-origin browsers send it automatically;
 * the Origin check in attach.ts keeps other sites from riding on it).
 * Refusals: no or invalid session → 4401 'unauthorized'; not a participant → 4403 'forbidden';
 * unknown document → 4404 'not-found'. A reader (scrutineer, admin) connects read-only.
 */
import type { IncomingMessage } from 'node:http';
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { alternativeIdOf } from '../../domain/drafting/document.ts';
import { loadActor } from '../access.ts';
import { SESSION_COOKIE, validateSessionToken } from '../auth/sessions.ts';
import type { Database } from '../db/client.ts';
import { draftPermissions, loadAlternative } from '../drafting/access.ts';
import { NotFound } from '../errors.ts';
import { CollabRefusal, closeSocket } from './refusal.ts';

export interface CollabContext {
	userId: string;
	alternativeId: string;
	setId: string;
	/** The upgrade request, so later hooks (load failure) can close this client's socket. */
	request: IncomingMessage;
}

export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq === -1) continue;
		if (part.slice(0, eq).trim() === name) {
			try {
				return decodeURIComponent(part.slice(eq + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}

export function authExtension(database: Database): Extension {
	return {
		priority: 300,
		async onAuthenticate(payload: onAuthenticatePayload): Promise<CollabContext> {
			const refuse = (refusal: CollabRefusal): never => {
				closeSocket(payload.request, refusal);
				throw refusal;
			};
			const alternativeId = alternativeIdOf(payload.documentName);
			if (!alternativeId) return refuse(new CollabRefusal('notFound'));
			const token = payload.token || readCookie(payload.requestHeaders.cookie, SESSION_COOKIE);
			if (!token) return refuse(new CollabRefusal('unauthorized'));
			const { user } = await validateSessionToken(database, token);
			if (!user) return refuse(new CollabRefusal('unauthorized'));
			let found;
			try {
				found = await loadAlternative(database, alternativeId);
			} catch (error) {
				if (error instanceof NotFound) return refuse(new CollabRefusal('notFound'));
				throw error;
			}
			const permissions = await draftPermissions(database, await loadActor(database, user.id), found.set);
			if (!permissions.canRead) return refuse(new CollabRefusal('forbidden'));
			// Readers get a read-only connection: Hocuspocus answers their updates with
			// SyncStatus(false) and never applies them (MessageReceiver, readOnly branch).
			if (!permissions.isEditor) payload.connectionConfig.readOnly = true;
			return { userId: user.id, alternativeId, setId: found.set.id, request: payload.request };
		}
	};
}
