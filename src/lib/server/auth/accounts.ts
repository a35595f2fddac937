import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { InvalidInput } from '../errors.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { weakPasswordProblem } from './password-strength.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { addressBucket } from '../../domain/auth/throttle.ts';
import { throttled, type ThrottleSubject } from './throttle.ts';
import { m } from '../../paraglide/messages.js';

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

/**
 * The login and the name a person typed for a new account (sign-up, the first administrator), normalised, with a
 * message for each that is wrong. `nameMissing` is the form's own words for an empty name.
 */
export function checkAccountNames(
	input: { login: string; displayName: string },
	nameMissing: string
): { login: string | null; displayName: string; fields: Record<string, string> } {
	const login = normaliseLogin(input.login);
	const displayName = input.displayName.normalize('NFKC').trim();
	const fields: Record<string, string> = {};
	if (!login) fields.login = m.auth_login_invalid();
	if (!displayName) fields.displayName = nameMissing;
	else if (displayName.length > 20) fields.displayName = m.auth_display_name_too_long();
	return { login, displayName, fields };
}

export interface NewAccount {
	login: string;
	displayName: string;
	password: string;
	isDemo?: boolean;
}

/**
 * What happened to a sign-up. Only the server knows: the person sees the same page either way
 * (「注册完成，请用刚设置的密码登录」), so sign-up cannot be used to find out who has an account.
 */
export type Registration = { created: true; id: string } | { created: false };

/**
 * 注册. A login that is already taken is not reported: nothing is created and the answer is the
 * same as for a fresh account, which does not sign in by itself either — the person logs in with the
 * password they just set. Both paths check the password, hash it and make one write, so they also
 * take about the same time. Every well-formed sign-up counts against the address (signupAddress).
 */
export async function registerAccount(database: Database, input: NewAccount, clientAddress: string): Promise<Registration> {
	const { login, displayName, fields } = checkAccountNames(input, m.auth_display_name_missing());
	const weak = await weakPasswordProblem(input.password, [login ?? input.login, displayName]);
	if (weak) fields.password = weak;
	if (Object.keys(fields).length > 0) throw new InvalidInput(m.auth_check_marked(), fields);
	return throttled(database, [{ rule: 'signupAddress', subject: addressBucket(clientAddress) }], async (attempt) => {
		await attempt.failed();
		const id = newId();
		const passwordHash = await hashPassword(input.password);
		// The unique index decides, also for two sign-ups racing for one phone number.
		const inserted = await database.write((tx) =>
			tx
				.insert(users)
				.values({ id, login: login!, displayName, passwordHash, isDemo: input.isDemo ?? false, createdAt: clock.now() })
				.onConflictDoNothing({ target: users.login })
				.returning({ id: users.id })
		);
		return inserted.length > 0 ? { created: true, id } : { created: false };
	});
}

/** The one answer for an unknown login and a wrong password alike (in Chinese; pages get the reader's language). */
export const WRONG_LOGIN_MESSAGE = m.auth_wrong_login({}, { locale: 'zh-CN' });

/**
 * Checks a password login. Throttled per account and address together (someone guessing one
 * account from elsewhere never slows its owner) and per address (a generous ceiling).
 */
export async function authenticate(database: Database, rawLogin: string, password: string, clientAddress: string): Promise<{ id: string }> {
	const login = normaliseLogin(rawLogin) ?? rawLogin.trim().toLowerCase();
	const address = addressBucket(clientAddress);
	const subjects: ThrottleSubject[] = [
		{ rule: 'loginPair', subject: `${login}\u0000${address}` },
		{ rule: 'loginAddress', subject: address }
	];
	return throttled(database, subjects, async (attempt) => {
		const rows = await database.db
			.select({ id: users.id, passwordHash: users.passwordHash })
			.from(users)
			.where(eq(users.login, login))
			.limit(1);
		// Verify against a real hash even for unknown logins, so timing does not reveal which exist.
		const ok = await verifyPassword(rows[0]?.passwordHash ?? DUMMY_HASH, password);
		if (rows.length === 0 || !ok) {
			await attempt.failed();
			throw new InvalidInput(m.auth_wrong_login(), { password: m.auth_wrong_login_field() });
		}
		await attempt.succeeded();
		return { id: rows[0].id };
	});
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9yIdpA8yMUoTU1R8dldxMMOyU0lu0GTQ1BD9qI0dLpY';
