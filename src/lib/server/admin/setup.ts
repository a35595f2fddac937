/**
 * First run (首次设置): while no administrator exists, each start prints a one-time link
 * `<origin>/setup?t=<token>`. Only the token's SHA-256 is stored; it works once and for 24 hours,
 * and a newer link replaces older ones. The page creates the first administrator's account. The
 * admin command creates administrators directly (whoever runs it already holds the database).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { roleGrants, setupTokens, users } from '../db/schema/index.ts';
import { InvalidInput, RuleBroken, isUniqueViolation } from '../errors.ts';
import { normaliseLogin } from '../auth/accounts.ts';
import { hashPassword } from '../auth/passwords.ts';
import { weakPasswordProblem } from '../auth/password-strength.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId, randomBytes } from '../util/ids.ts';
import { administratorExists } from './grants.ts';

export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;
/** Stricter than a resident's minimum: this account can grant every role. */
export const ADMIN_MIN_PASSWORD = 12;

const ALREADY_SET_UP = '系统已经有管理员了，请直接登录';
const LINK_SPENT = '这个设置链接已失效（用过了或超过 24 小时）。请重启服务，使用新打印的链接。';

function tokenHash(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A fresh one-time token (older unused ones stop working), or null when an administrator exists. */
export async function issueSetupToken(database: Database): Promise<{ token: string; expiresAt: number } | null> {
	if (await administratorExists(database)) return null;
	const token = encodeBase32LowerCaseNoPadding(randomBytes(20));
	const now = clock.now();
	const expiresAt = now + SETUP_TOKEN_TTL_MS;
	await database.write(async (tx) => {
		await tx
			.update(setupTokens)
			.set({ expiresAt: now })
			.where(and(isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)));
		await tx.insert(setupTokens).values({ id: tokenHash(token), createdAt: now, expiresAt });
	});
	return { token, expiresAt };
}

export function setupLink(origin: string, token: string): string {
	return `${origin.replace(/\/+$/, '')}/setup?t=${token}`;
}

export type SetupState = 'open' | 'bad_link' | 'done';

/** What /setup shows: the form (a valid link), a refusal (bad or used link), or "already set up". */
export async function setupState(database: Database, token: string | null): Promise<SetupState> {
	if (await administratorExists(database)) return 'done';
	if (!token) return 'bad_link';
	const [row] = await database.db
		.select()
		.from(setupTokens)
		.where(eq(setupTokens.id, tokenHash(token)))
		.limit(1);
	return row && row.usedAt === null && row.expiresAt > clock.now() ? 'open' : 'bad_link';
}

export interface AdministratorInput {
	login: string;
	displayName: string;
	password: string;
	/** The password typed a second time, when a form asks for it. */
	confirm?: string;
}

async function checkAdministrator(input: AdministratorInput): Promise<{ login: string; displayName: string }> {
	const login = normaliseLogin(input.login);
	const displayName = input.displayName.normalize('NFKC').trim();
	const fields: Record<string, string> = {};
	if (!login) fields.login = '请填写 11 位手机号，或 3–32 位的用户名（字母、数字、汉字）';
	if (!displayName) fields.displayName = '请填写称呼，例如“居委小王”';
	else if (displayName.length > 20) fields.displayName = '称呼最多 20 个字';
	if (input.password.length < ADMIN_MIN_PASSWORD) fields.password = `管理员密码至少 ${ADMIN_MIN_PASSWORD} 位`;
	else {
		const weak = await weakPasswordProblem(input.password, [login ?? input.login, displayName]);
		if (weak) fields.password = weak;
		else if (login && input.password.toLowerCase().includes(login)) fields.password = '密码不能包含账号';
	}
	if (input.confirm !== undefined && input.confirm !== input.password) fields.confirm = '两次输入的密码不一样';
	if (Object.keys(fields).length > 0) throw new InvalidInput('请检查标红的内容', fields);
	return { login: login!, displayName };
}

async function insertAdministrator(
	database: Database,
	input: AdministratorInput,
	spend: ((tx: Tx, userId: string) => Promise<void>) | null
): Promise<{ userId: string }> {
	const { login, displayName } = await checkAdministrator(input);
	const passwordHash = await hashPassword(input.password);
	const userId = newId();
	try {
		await database.write(async (tx) => {
			const now = clock.now();
			if (spend) await spend(tx, userId);
			await tx.insert(users).values({ id: userId, login, displayName, passwordHash, createdAt: now });
			await tx.insert(roleGrants).values({ id: newId(), userId, role: 'admin', scopeId: null, grantedBy: null, grantedAt: now });
			await audit(tx, {
				actorId: userId,
				action: 'role.grant',
				subjectType: 'user',
				subjectId: userId,
				detail: { role: 'admin', scopeId: null, via: spend ? 'setup_link' : 'command' }
			});
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new InvalidInput('这个手机号或用户名已经注册过了，请换一个', { login: '已注册' });
		throw e;
	}
	return { userId };
}

/**
 * Creates the first administrator through a setup link. The link is spent in the same write that
 * creates the account, so two tabs racing with one link make one administrator.
 */
export async function completeSetup(database: Database, token: string, input: AdministratorInput): Promise<{ userId: string }> {
	// Checked first so a post without a live link costs no password hashing; checked again below.
	const state = await setupState(database, token);
	if (state === 'done') throw new RuleBroken(ALREADY_SET_UP);
	if (state === 'bad_link') throw new RuleBroken(LINK_SPENT);
	return insertAdministrator(database, input, async (tx, userId) => {
		const now = clock.now();
		const admins = await tx
			.select({ id: roleGrants.id })
			.from(roleGrants)
			.where(and(eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt)))
			.limit(1);
		if (admins.length > 0) throw new RuleBroken(ALREADY_SET_UP);
		const spent = await tx
			.update(setupTokens)
			.set({ usedAt: now, usedBy: userId })
			.where(and(eq(setupTokens.id, tokenHash(token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)))
			.returning({ id: setupTokens.id });
		if (spent.length === 0) throw new RuleBroken(LINK_SPENT);
	});
}

/** The admin command's create-admin: no link needed (it runs with the database in hand). */
export function createAdministrator(database: Database, input: AdministratorInput): Promise<{ userId: string }> {
	return insertAdministrator(database, input, null);
}
