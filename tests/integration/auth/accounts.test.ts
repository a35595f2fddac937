import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { authenticate, registerAccount } from '../../../src/lib/server/auth/accounts.ts';
import { THROTTLE_RULES } from '../../../src/lib/server/auth/throttle.ts';
import { hashPassword } from '../../../src/lib/server/auth/passwords.ts';
import { WEAK_PASSWORD_MESSAGE } from '../../../src/lib/server/auth/password-strength.ts';
import { InvalidInput, TooManyAttempts } from '../../../src/lib/server/errors.ts';

let database: TestDatabase;
databaseForEachTest((created) => (database = created));

const users = async () => (await database.client.execute('select login, display_name, password_hash from users order by login')).rows;

describe('sign-up', () => {
	it('refuses a weak password with a plain Chinese explanation, keeping nothing', async () => {
		const refused = registerAccount(database, { login: 'xiaoli', displayName: '小李', password: '12345678' }, 'a');
		await expect(refused).rejects.toBeInstanceOf(InvalidInput);
		await expect(refused).rejects.toMatchObject({ fields: { password: WEAK_PASSWORD_MESSAGE } });
		expect(await users()).toEqual([]);
	});

	it('refuses a password made of the person’s own phone number', async () => {
		await expect(
			registerAccount(database, { login: '139 1234 5678', displayName: '钱阿姨', password: '13912345678' }, 'a')
		).rejects.toMatchObject({
			fields: { password: WEAK_PASSWORD_MESSAGE }
		});
	});

	it('answers a taken login exactly as a fresh one, creates nothing and leaves the account as it was', async () => {
		const first = await registerAccount(database, { login: 'laowang', displayName: '老王', password: 'houmen-kai-bu-kai-2026' }, 'a');
		expect(first).toMatchObject({ created: true });
		const before = await users();
		const second = await registerAccount(
			database,
			{ login: 'LaoWang', displayName: '冒名的人', password: 'wo-yao-ni-de-zhanghao' },
			'b'
		);
		// The route shows the same page for both outcomes: only this return value differs, and it never reaches the person.
		expect(second).toEqual({ created: false });
		expect(await users()).toEqual(before);
		expect(await authenticate(database, 'laowang', 'houmen-kai-bu-kai-2026', 'a')).toEqual({ id: (first as { id: string }).id });
		await expect(authenticate(database, 'laowang', 'wo-yao-ni-de-zhanghao', 'b')).rejects.toBeInstanceOf(InvalidInput);
	});

	it('two sign-ups racing for one phone number: one account, and neither is told', async () => {
		const results = await Promise.all(
			['fangzi-zai-3-haolou', 'lou-shang-you-ge-yuan'].map((password) =>
				registerAccount(database, { login: '13800001111', displayName: '邻居', password }, 'a')
			)
		);
		expect(results.filter((r) => r.created)).toHaveLength(1);
		expect(await users()).toHaveLength(1);
	});

	it('slows one address after many sign-ups, new or taken alike', async () => {
		const address = '203.0.113.5';
		for (let i = 0; i < THROTTLE_RULES.signupAddress.freeFailures; i++) {
			await registerAccount(
				database,
				{ login: `probe_${i % 3}`, displayName: '探测', password: 'probe-account-passphrase-x' },
				address
			);
		}
		await expect(
			registerAccount(database, { login: 'probe_new', displayName: '探测', password: 'probe-account-passphrase-x' }, address)
		).rejects.toBeInstanceOf(TooManyAttempts);
		expect(
			await registerAccount(
				database,
				{ login: 'neighbour', displayName: '邻居', password: 'probe-account-passphrase-x' },
				'198.51.100.1'
			)
		).toMatchObject({ created: true });
	});

	it('an existing account with a weak password still logs in', async () => {
		await database.client.execute({
			sql: 'insert into users (id, login, display_name, password_hash, created_at) values (?, ?, ?, ?, 1)',
			args: ['old', 'oldtimer', '老住户', await hashPassword('12345678')]
		});
		expect(await authenticate(database, 'oldtimer', '12345678', 'a')).toEqual({ id: 'old' });
	});
});
