import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../domain/access/policy.ts';
import { loadActor } from './access.ts';
import { getDatabase } from './db/client.ts';
import { writeEpoch } from './db/write-queue.ts';

/** The signed-in actor, or a redirect to the login page that comes back here. */
export async function requireActor(event: Pick<RequestEvent, 'locals' | 'url'>): Promise<Actor> {
	if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	const preloaded = event.locals.actor;
	if (preloaded && preloaded.actor.userId === event.locals.user.id && preloaded.epoch === writeEpoch()) return preloaded.actor;
	return loadActor(getDatabase(), event.locals.user.id);
}
