import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { InvalidInput, TooManyAttempts, isUniqueViolation } from '../errors.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { loginAddressThrottle, loginThrottle, waitMessage } from './throttle.ts';

/**
 * Normalises a login: a mainland mobile number (with or without +86, spaces, dashes) becomes its
 * 11 digits; anything else is a username of 3–32 letters, digits, underscores or Chinese characters.
 */
export function normaliseLogin(raw: string): string | null {
	const trimmed = raw.normalize('NFKC').trim();
	const digits = trimmed.replace(/[\s-]/g, '').replace(/^\+?86/, '');
	if (/^1\d{10}$/.test(digits)) return digits;
	if (/^[\p{L}\p{N}_]{3,32}$/u.test(trimmed)) return trimmed.toLowerCase();
	return null;
}

export interface NewAccount {
	login: string;
	displayName: string;
	password: string;
	isDemo?: boolean;
}

export async function registerAccount(database: Database, input: NewAccount): Promise<{ id: string }> {
	const login = normaliseLogin(input.login);
	const displayName = input.displayName.normalize('NFKC').trim();
	const fields: Record<string, string> = {};
	if (!login) fields.login = '请填写 11 位手机号，或 3–32 位的用户名（字母、数字、汉字）';
	if (!displayName) fields.displayName = '请填写称呼，例如“王阿姨”';
	else if (displayName.length > 20) fields.displayName = '称呼最多 20 个字';
	const weak = passwordProblem(input.password);
	if (weak) fields.password = weak;
	if (Object.keys(fields).length > 0) throw new InvalidInput('请检查标红的内容', fields);
	const id = newId();
	const passwordHash = await hashPassword(input.password);
	try {
		await database.write((tx) =>
			tx.insert(users).values({ id, login: login!, displayName, passwordHash, isDemo: input.isDemo ?? false, createdAt: clock.now() })
		);
	} catch (error) {
		// Two sign-ups racing for one phone number: the unique index decides.
		if (isUniqueViolation(error)) throw new InvalidInput('这个手机号或用户名已经注册过了，请直接登录', { login: '已注册' });
		throw error;
	}
	return { id };
}

/** Checks a password login. Throttled per account and per client address. */
export async function authenticate(database: Database, rawLogin: string, password: string, clientAddress: string): Promise<{ id: string }> {
	const login = normaliseLogin(rawLogin) ?? rawLogin.trim().toLowerCase();
	const wait = Math.max(loginThrottle.wait(login), loginAddressThrottle.wait(clientAddress));
	if (wait > 0) throw new TooManyAttempts(waitMessage(wait));
	const rows = await database.db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.login, login)).limit(1);
	// Verify against a real hash even for unknown logins, so timing does not reveal which exist.
	const ok = await verifyPassword(rows[0]?.passwordHash ?? DUMMY_HASH, password);
	if (rows.length === 0 || !ok) {
		loginThrottle.fail(login);
		loginAddressThrottle.fail(clientAddress);
		throw new InvalidInput('账号或密码不对，请再试一次', { password: '账号或密码不对' });
	}
	loginThrottle.reset(login);
	return { id: rows[0].id };
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9yIdpA8yMUoTU1R8dldxMMOyU0lu0GTQ1BD9qI0dLpY';
