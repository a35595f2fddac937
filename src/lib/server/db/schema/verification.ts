import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { stamp, uniqueWhileOpen, unitRelation } from './columns.ts';

/**
 * One-time verification codes printed on letters. Only the hash is stored, so staff cannot read
 * a code after the letter was printed; reissuing revokes the old code and makes a new one.
 */
export const verificationCodes = sqliteTable(
	'verification_codes',
	{
		id: text('id').primaryKey(),
		unitId: text('unit_id').notNull(),
		kind: unitRelation('kind'),
		codeHash: text('code_hash').notNull().unique(),
		...stamp('issued'),
		claimedBy: text('claimed_by'),
		claimedAt: integer('claimed_at'),
		revokedAt: integer('revoked_at'),
		/** 补发核验信: why a letter was reissued for a unit that already had a verified owner; null for printing. */
		reissueReason: text('reissue_reason')
	},
	(t) => [index('verification_codes_unit').on(t.unitId)]
);

/** An account's verified tie to a unit, as owner or as resident (tenant). Ended by `revokedAt`. */
export const memberships = sqliteTable(
	'memberships',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').notNull(),
		unitId: text('unit_id').notNull(),
		relation: unitRelation('relation'),
		codeId: text('code_id'),
		verifiedAt: integer('verified_at').notNull(),
		revokedAt: integer('revoked_at')
	},
	(t) => [index('memberships_unit').on(t.unitId), uniqueWhileOpen('memberships_active', [t.userId, t.unitId], [t.revokedAt])]
);
