import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { authenticate, registerAccount } from '../../../src/lib/server/auth/accounts.ts';
import { THROTTLE_RULES, beginAttempt, throttleStoreOf } from '../../../src/lib/server/auth/throttle.ts';
import { afterFailure, type ThrottleState } from '../../../src/lib/domain/auth/throttle.ts';
import { openDatabase, prepareDatabase } from '../../../src/lib/server/db/client.ts';
import { clock } from '../../../src/lib/server/util/clock.ts';
import { InvalidInput, TooManyAttempts } from '../../../src/lib/server/errors.ts';

const PASSWORD = 'laosun-jia-houmen-2026';
const OWNER_HOME = '198.51.100.7';
const ATTACKER = '203.0.113.66';

let database: TestDatabase;
let now = 1_800_000_000_000;
beforeEach(async () => {
	database = await createTestDatabase();
	now = 1_800_000_000_000;
	vi.spyOn(clock, 'now').mockImplementation(() => now);
	await registerAccount(database, { login: 'laosun', displayName: '老孙', password: PASSWORD }, '192.0.2.1');
});
afterEach(() => {
	database.destroy();
	vi.restoreAllMocks();
});

/** Guesses `times` wrong passwords from one address, waiting out each delay as a patient attacker would. */
async function guess(times: number, address: string, login = 'laosun'): Promise<void> {
	for (let i = 0; i < times; i++) {
		for (;;) {
			try {
				await authenticate(database, login, `wrong-${i}`, address);
				throw new Error('a wrong password was accepted');
			} catch (e) {
				if (e instanceof InvalidInput) break;
				if (!(e instanceof TooManyAttempts)) throw e;
				now += 60_000;
			}
		}
	}
}

async function refusal(attempt: Promise<unknown>): Promise<string> {
	const error = await attempt.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(TooManyAttempts);
	return (error as Error).message;
}

describe('login throttling that cannot lock anyone out', () => {
	it('someone guessing an account from elsewhere never stops its owner logging in', async () => {
		await guess(40, ATTACKER);
		expect(await authenticate(database, 'laosun', PASSWORD, OWNER_HOME)).toHaveProperty('id');
	});

	it('guesses spread over many addresses do not stop the owner either', async () => {
		for (let i = 0; i < 30; i++) await guess(1, `203.0.113.${i}`);
		expect(await authenticate(database, 'laosun', PASSWORD, OWNER_HOME)).toHaveProperty('id');
	});

	it('slows the failing pair with growing delays and says how long to wait', async () => {
		await guess(5, ATTACKER);
		expect(await refusal(authenticate(database, 'laosun', 'wrong-again', ATTACKER))).toContain('请 1 秒后再试');
		// While waiting, even the right password is not tried: otherwise the delay would not slow guessing.
		expect(await refusal(authenticate(database, 'laosun', PASSWORD, ATTACKER))).toContain('秒后再试');
		now += 1000;
		await expect(authenticate(database, 'laosun', 'wrong-6', ATTACKER)).rejects.toBeInstanceOf(InvalidInput);
		expect(await refusal(authenticate(database, 'laosun', 'wrong-7', ATTACKER))).toContain('请 2 秒后再试');
		now += 2000;
		// Waiting it out always allows another try; the right one then succeeds and clears the count.
		expect(await authenticate(database, 'laosun', PASSWORD, ATTACKER)).toHaveProperty('id');
		await expect(authenticate(database, 'laosun', 'typo', ATTACKER)).rejects.toBeInstanceOf(InvalidInput);
	});

	it('never asks for more than fifteen minutes', async () => {
		await guess(25, ATTACKER);
		const message = await refusal(authenticate(database, 'laosun', 'x', ATTACKER));
		expect(message).toContain('请 15 分钟后再试');
		expect(message).not.toMatch(/锁|冻结|locked/);
		now += 15 * 60_000;
		expect(await authenticate(database, 'laosun', PASSWORD, ATTACKER)).toHaveProperty('id');
	});

	it('treats unknown accounts exactly like wrong passwords', async () => {
		await expect(authenticate(database, 'nobody_here', PASSWORD, ATTACKER)).rejects.toThrow('账号或密码不对，请再试一次');
		await expect(authenticate(database, 'laosun', 'wrong', ATTACKER)).rejects.toThrow('账号或密码不对，请再试一次');
		await guess(4, ATTACKER, 'nobody_here');
		expect(await refusal(authenticate(database, 'nobody_here', 'x', ATTACKER))).toContain('请 1 秒后再试');
	});

	it('a shared address gets hundreds of failures an hour before it is slowed, and only it', async () => {
		const office = '192.0.2.50';
		const failures = Array.from({ length: THROTTLE_RULES.loginAddress.freeFailures }, async () => {
			const attempt = await beginAttempt(database, [{ rule: 'loginAddress', subject: office }]);
			await attempt.failed();
		});
		await Promise.all(failures);
		expect(await refusal(authenticate(database, 'laosun', PASSWORD, office))).toContain('秒后再试');
		expect(await authenticate(database, 'laosun', PASSWORD, OWNER_HOME)).toHaveProperty('id');
		now += 60 * 60_000;
		expect(await authenticate(database, 'laosun', PASSWORD, office)).toHaveProperty('id');
	});

	it('a burst of parallel guesses cannot all slip through before the first is counted', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, (_, i) => authenticate(database, 'laosun', `burst-${i}`, ATTACKER))
		);
		const tried = results.filter((r) => r.status === 'rejected' && r.reason instanceof InvalidInput).length;
		expect(tried).toBeLessThanOrEqual(THROTTLE_RULES.loginPair.freeFailures);
		expect(results.every((r) => r.status === 'rejected')).toBe(true);
	});
});

describe('throttle store', () => {
	it('keeps the count across a restart (re-opening the database file)', async () => {
		await guess(8, ATTACKER);
		const { dir } = database;
		database.close();
		const reopened = openDatabase(`file:${database.path}`);
		try {
			await prepareDatabase(reopened);
			expect(await refusal(authenticate(reopened, 'laosun', PASSWORD, ATTACKER))).toContain('秒后再试');
			expect(await authenticate(reopened, 'laosun', PASSWORD, OWNER_HOME)).toHaveProperty('id');
		} finally {
			reopened.close();
			rmSync(dir, { recursive: true, force: true });
			database = await createTestDatabase();
		}
	});

	it('counts concurrent failures exactly as the pure rule does', async () => {
		const store = throttleStoreOf(database);
		const policy = THROTTLE_RULES.loginPair;
		await Promise.all(Array.from({ length: 12 }, () => store.recordFailure('k', policy, now)));
		let expected: ThrottleState | null = null;
		for (let i = 0; i < 12; i++) expected = afterFailure(policy, expected, now);
		expect((await store.read(['k'])).get('k')).toEqual(expected);
		// A failure after the window starts a new one.
		now += policy.windowMs;
		expect(await store.recordFailure('k', policy, now)).toEqual(afterFailure(policy, expected, now));
	});

	it('stores no login or address, and prunes rows whose window has run out', async () => {
		await guess(3, ATTACKER);
		const stored = JSON.stringify((await database.client.execute('select * from throttle_attempts')).rows);
		expect(stored).not.toContain('laosun');
		expect(stored).not.toContain(ATTACKER);
		now += 25 * 60 * 60_000;
		await guess(1, OWNER_HOME, 'someone_else');
		const left = await database.client.execute('select count(*) as n from throttle_attempts');
		expect(Number(left.rows[0].n)).toBe(2);
	});
});

describe('IPv6', () => {
	it('a guesser hopping between addresses of one /64 is still one guesser; the owner elsewhere is not slowed', async () => {
		for (let i = 0; i < 5; i++)
			await expect(authenticate(database, 'laosun', `wrong-${i}`, `2001:db8:1:2::${i + 1}`)).rejects.toBeInstanceOf(InvalidInput);
		expect(await refusal(authenticate(database, 'laosun', 'again', '2001:db8:1:2:ffff::9'))).toContain('请 1 秒后再试');
		expect(await authenticate(database, 'laosun', PASSWORD, '2001:db8:1:3::1')).toHaveProperty('id');
	});
});
