import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { authenticate, registerAccount } from '../../../src/lib/server/auth/accounts.ts';
import {
	ABSOLUTE_MS,
	SLIDING_MS,
	createSession,
	generateSessionToken,
	invalidateAllSessions,
	validateSessionAndActor,
	validateSessionToken
} from '../../../src/lib/server/auth/sessions.ts';
import { clock } from '../../../src/lib/server/util/clock.ts';
import { InvalidInput } from '../../../src/lib/server/errors.ts';

let database: TestDatabase;
const HOME = '192.0.2.1';

async function newAccount(input: { login: string; displayName: string; password: string }): Promise<{ id: string }> {
	const registration = await registerAccount(database, input, HOME);
	if (!registration.created) throw new Error(`${input.login} was already taken`);
	return registration;
}
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => {
	database.destroy();
	vi.restoreAllMocks();
});

describe('accounts and sessions', () => {
	it('registers with a phone number in any common spelling and logs in with it', async () => {
		const { id } = await newAccount({ login: '+86 139-1234-5678', displayName: '王阿姨', password: 'wang-ayi-2026' });
		expect(await authenticate(database, '13912345678', 'wang-ayi-2026', 'a')).toEqual({ id });
		await expect(authenticate(database, '13912345678', 'wrong-password', 'a')).rejects.toBeInstanceOf(InvalidInput);
	});

	it('refuses a short password with a Chinese message', async () => {
		await expect(registerAccount(database, { login: 'xiaoli', displayName: '小李', password: '123' }, HOME)).rejects.toMatchObject({
			fields: { password: '密码至少 8 位' }
		});
	});

	it('stores only the hash of a session token', async () => {
		const { id } = await newAccount({ login: 'laoli', displayName: '老李', password: 'chuanghu-wai-de-shu' });
		const token = generateSessionToken();
		await createSession(database, token, id);
		const rows = await database.client.execute('select id from sessions');
		expect(rows.rows[0].id).not.toBe(token);
		expect((await validateSessionToken(database, token)).user?.id).toBe(id);
	});

	it('slides while used, ends after the idle window, and never outlives the absolute limit', async () => {
		const { id } = await newAccount({ login: 'laozhang', displayName: '老张', password: 'louxia-huayuan-kaihua' });
		let now = 1_800_000_000_000;
		vi.spyOn(clock, 'now').mockImplementation(() => now);
		const token = generateSessionToken();
		await createSession(database, token, id);
		// Used every 20 days: it keeps sliding ...
		for (let day = 20; day < 80; day += 20) {
			now += 20 * 24 * 3600_000;
			expect((await validateSessionToken(database, token)).session).not.toBeNull();
		}
		// ... but not past the absolute limit.
		now = 1_800_000_000_000 + ABSOLUTE_MS + 1;
		expect((await validateSessionToken(database, token)).session).toBeNull();

		const idle = generateSessionToken();
		now = 1_900_000_000_000;
		await createSession(database, idle, id);
		now += SLIDING_MS + 1;
		expect((await validateSessionToken(database, idle)).session).toBeNull();
	});

	it('tells the request hook to send the cookie again only when the expiry moved', async () => {
		const { id } = await newAccount({ login: 'laoli', displayName: '老李', password: 'louxia-huayuan-kaihua' });
		let now = 1_800_000_000_000;
		vi.spyOn(clock, 'now').mockImplementation(() => now);
		const token = generateSessionToken();
		const created = await createSession(database, token, id);
		// Used within the first half of its window: nothing moves, the cookie the browser has stays right.
		now += SLIDING_MS / 2 - 1;
		const early = await validateSessionAndActor(database, token);
		expect(early).toMatchObject({ renewed: false, session: { expiresAt: created.expiresAt } });
		// Past half of it: the session slides, and so must the cookie.
		now += 2;
		const late = await validateSessionAndActor(database, token);
		expect(late).toMatchObject({ renewed: true, session: { expiresAt: now + SLIDING_MS } });
		expect((await validateSessionAndActor(database, token)).renewed).toBe(false);
		expect((await validateSessionAndActor(database, 'no-such-token')).renewed).toBe(false);
	});

	it('signs out of all devices', async () => {
		const { id } = await newAccount({ login: 'laozhao', displayName: '老赵', password: 'zaoshang-qu-maicai-7dian' });
		const phone = generateSessionToken();
		const tablet = generateSessionToken();
		await createSession(database, phone, id);
		await createSession(database, tablet, id);
		await invalidateAllSessions(database, id);
		expect((await validateSessionToken(database, phone)).session).toBeNull();
		expect((await validateSessionToken(database, tablet)).session).toBeNull();
	});
});
