import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHttpError, isRedirect, redirect, type RequestEvent } from '@sveltejs/kit';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { newUser } from './voting/factories.ts';
import { setDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { AccessDenied, InvalidInput, NotFound } from '../../src/lib/server/errors.ts';
import { signedInLoad } from '../../src/lib/server/require-user.ts';
import type { Actor } from '../../src/lib/domain/access/policy.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
	setDatabase(database);
});
afterEach(() => database.destroy());

type Event = Pick<RequestEvent, 'locals' | 'url'>;
const eventOf = (user: { id: string } | null, path = '/sessions/s1?tab=2'): Event =>
	({ locals: { user: user && { id: user.id, login: 'x', displayName: '张三' } }, url: new URL(`http://localhost${path}`) }) as Event;

async function thrown(call: () => Promise<unknown>): Promise<unknown> {
	try {
		await call();
	} catch (e) {
		return e;
	}
	throw new Error('expected the load to throw');
}

describe('signedInLoad', () => {
	it('sends a visitor who is not signed in to the login page and back, without running the page', async () => {
		let ran = false;
		const load = signedInLoad(async () => (ran = true));
		const e = await thrown(() => load(eventOf(null)));
		expect(isRedirect(e) && e.status === 303 && e.location).toBe(`/login?next=${encodeURIComponent('/sessions/s1?tab=2')}`);
		expect(ran).toBe(false);
	});

	it('gives the page the signed-in actor, the database and the event', async () => {
		const userId = await newUser(database, '李四');
		const event = eventOf({ id: userId });
		let seen: { actor: Actor; database: Database; event: Event } | null = null;
		const data = await signedInLoad(async (context) => {
			seen = context;
			return { who: context.actor.userId };
		})(event);
		expect(data).toEqual({ who: userId });
		expect(seen!.database).toBe(database);
		expect(seen!.event).toBe(event);
	});

	it('shows refusals and missing things as the error page, and lets a redirect through', async () => {
		const userId = await newUser(database);
		const event = eventOf({ id: userId });
		const failing = (error: Error) => signedInLoad(async () => Promise.reject(error))(event);
		const denied = await thrown(() => failing(new AccessDenied('不能看')));
		expect(isHttpError(denied) && [denied.status, denied.body.message]).toEqual([403, '不能看']);
		const missing = await thrown(() => failing(new NotFound('没有这个')));
		expect(isHttpError(missing) && missing.status).toBe(404);
		const invalid = await thrown(() => failing(new InvalidInput('填错了', {})));
		expect(isHttpError(invalid) && invalid.status).toBe(400);
		const moved = await thrown(() =>
			signedInLoad(async () => {
				redirect(303, '/elsewhere');
			})(event)
		);
		expect(isRedirect(moved) && moved.location).toBe('/elsewhere');
	});
});
