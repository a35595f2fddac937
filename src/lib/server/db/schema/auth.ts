import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { demoFlag, laterStamp, uniqueWhileOpen } from './columns.ts';

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	/** Login name: a phone number or a username, stored normalised; unique. */
	login: text('login').notNull().unique(),
	displayName: text('display_name').notNull(),
	passwordHash: text('password_hash').notNull(),
	isDemo: demoFlag(),
	createdAt: integer('created_at').notNull()
});

/** Sessions the Lucia way: the id is the SHA-256 of the token; the token itself is never stored. */
export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').notNull(),
		createdAt: integer('created_at').notNull(),
		/** Sliding expiry, pushed forward on use. */
		expiresAt: integer('expires_at').notNull(),
		/** Absolute expiry: a session never lives past this, however active. */
		absoluteExpiresAt: integer('absolute_expires_at').notNull()
	},
	(t) => [index('sessions_user').on(t.userId)]
);

/** Scoped roles. A grant is revoked by stamping `revokedAt`, never deleted. */
export const roleGrants = sqliteTable(
	'role_grants',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').notNull(),
		role: text('role', {
			enum: ['committee_staff', 'owners_committee', 'cluster_coordinator', 'facilitator', 'scrutineer', 'admin']
		}).notNull(),
		/** An org node (居委, 小区, 片区) or a deliberation session id, depending on the role. */
		scopeId: text('scope_id'),
		grantedBy: text('granted_by'),
		grantedAt: integer('granted_at').notNull(),
		revokedAt: integer('revoked_at'),
		/**
		 * A term (任期), e.g. of a 业委会 member: the grant counts from `validFrom` (inclusive) until
		 * `validUntil` (exclusive); null means open. Outside its term a grant grants nothing.
		 */
		validFrom: integer('valid_from'),
		validUntil: integer('valid_until')
	},
	(t) => [index('role_grants_user').on(t.userId), uniqueWhileOpen('role_grants_active', [t.userId, t.role, t.scopeId], [t.revokedAt])]
);

/**
 * One-time links for the first administrator (/setup?t=…). Only the SHA-256 of the token is kept;
 * a link works once (`usedAt`) and until `expiresAt`.
 */
export const setupTokens = sqliteTable('setup_tokens', {
	id: text('id').primaryKey(),
	createdAt: integer('created_at').notNull(),
	expiresAt: integer('expires_at').notNull(),
	...laterStamp('used')
});

/**
 * Failed attempts per throttle key (see src/lib/server/auth/throttle.ts). The key is a SHA-256 of
 * the rule and its subject (an account and address, an address, …), so no login or address is
 * stored here. Rows whose window has run out are pruned.
 */
export const throttleAttempts = sqliteTable(
	'throttle_attempts',
	{
		key: text('key').primaryKey(),
		failures: integer('failures').notNull(),
		windowStartedAt: integer('window_started_at').notNull(),
		lastFailureAt: integer('last_failure_at').notNull(),
		/** When the row may be deleted: its window has run out and it no longer slows anyone. */
		expiresAt: integer('expires_at').notNull()
	},
	(t) => [index('throttle_attempts_expiry').on(t.expiresAt)]
);
