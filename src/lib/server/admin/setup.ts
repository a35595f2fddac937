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
import { InvalidInput, RuleBroken, refuseDuplicate } from '../errors.ts';
import { checkAccountNames } from '../auth/accounts.ts';
import { hashPassword } from '../auth/passwords.ts';
import { weakPasswordProblem } from '../auth/password-strength.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId, randomBytes } from '../util/ids.ts';
import { administratorExists } from './grants.ts';
import { m } from '../../paraglide/messages.js';

export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;
/** Stricter than a resident's minimum: this account can grant every role. */
export const ADMIN_MIN_PASSWORD = 12;

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
	const { login, displayName, fields } = checkAccountNames(input, m.setup_display_name_missing());
	if (input.password.length < ADMIN_MIN_PASSWORD) fields.password = m.setup_password_too_short({ min: ADMIN_MIN_PASSWORD });
	else {
		const weak = await weakPasswordProblem(input.password, [login ?? input.login, displayName]);
		if (weak) fields.password = weak;
		else if (login && input.password.toLowerCase().includes(login)) fields.password = m.setup_password_has_login();
	}
	if (input.confirm !== undefined && input.confirm !== input.password) fields.confirm = m.setup_password_mismatch();
	if (Object.keys(fields).length > 0) throw new InvalidInput(m.auth_check_marked(), fields);
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
	await refuseDuplicate(
		database.write(async (tx) => {
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
		}),
		new InvalidInput(m.setup_login_taken(), { login: m.setup_login_taken_field() })
	);
	return { userId };
}

/**
 * Creates the first administrator through a setup link. The link is spent in the same write that
 * creates the account, so two tabs racing with one link make one administrator.
 */
export async function completeSetup(database: Database, token: string, input: AdministratorInput): Promise<{ userId: string }> {
	// Checked first so a post without a live link costs no password hashing; checked again below.
	const state = await setupState(database, token);
	if (state === 'done') throw new RuleBroken(m.setup_already_done());
	if (state === 'bad_link') throw new RuleBroken(m.setup_link_spent());
	return insertAdministrator(database, input, async (tx, userId) => {
		const now = clock.now();
		const admins = await tx
			.select({ id: roleGrants.id })
			.from(roleGrants)
			.where(and(eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt)))
			.limit(1);
		if (admins.length > 0) throw new RuleBroken(m.setup_already_done());
		const spent = await tx
			.update(setupTokens)
			.set({ usedAt: now, usedBy: userId })
			.where(and(eq(setupTokens.id, tokenHash(token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)))
			.returning({ id: setupTokens.id });
		if (spent.length === 0) throw new RuleBroken(m.setup_link_spent());
	});
}

/** The admin command's create-admin: no link needed (it runs with the database in hand). */
export function createAdministrator(database: Database, input: AdministratorInput): Promise<{ userId: string }> {
	return insertAdministrator(database, input, null);
}
