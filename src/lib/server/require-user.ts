import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../domain/access/policy.ts';
import { loadActor } from './access.ts';
import { getDatabase, type Database } from './db/client.ts';
import { writeEpoch } from './db/write-queue.ts';
import { load as guard } from './http.ts';

/** The signed-in actor, or a redirect to the login page that comes back here. */
export async function requireActor(event: Pick<RequestEvent, 'locals' | 'url'>): Promise<Actor> {
	if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	const preloaded = event.locals.actor;
	if (preloaded && preloaded.actor.userId === event.locals.user.id && preloaded.epoch === writeEpoch()) return preloaded.actor;
	return loadActor(getDatabase(), event.locals.user.id);
}

/** What the load of a page for the signed-in is given. */
export interface SignedInLoadContext<E> {
	database: Database;
	actor: Actor;
	event: E;
}

/**
 * The common shape of the load of a page for the signed-in: the actor (or the way to log in and back), the
 * database, and the service calls' domain errors shown as the error page (403, 404, 400) as load() maps them.
 */
export function signedInLoad<E extends Pick<RequestEvent, 'locals' | 'url'>, R>(run: (context: SignedInLoadContext<E>) => Promise<R>) {
	return async (event: E): Promise<R> => {
		const actor = await requireActor(event);
		return guard(() => run({ database: getDatabase(), actor, event }));
	};
}
