import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { doubleControl, uniqueWhileOpen, voteChoice } from './columns.ts';

/**
 * 多套房屋投票不一致的处理: how a person whose units voted differently on one motion counts in
 * persons (src/lib/domain/voting/mixed-choices.ts), under double control like paper double entry: one
 * 业委会 member proposes, a second, different member of the same compound confirms. Rows are never
 * deleted and their content never changes (triggers in migration 0017): only confirmed_* or
 * withdrawn_at are stamped, once, on a pending row.
 */
export const choiceSettlements = sqliteTable(
	'choice_settlements',
	{
		id: text('id').primaryKey(),
		ballotId: text('ballot_id').notNull(),
		compoundId: text('compound_id').notNull(),
		motionId: text('motion_id').notNull(),
		/** caseKey(): compound, motion and every counted unit with its choice. A settlement holds for this case only. */
		caseKey: text('case_key').notNull(),
		/** JSON [{ unitId, choice }], sorted by unitId: the case as settled. */
		units: text('units').notNull(),
		choice: voteChoice(),
		basis: text('basis', { enum: ['owner_stated', 'owner_unreachable'] }).notNull(),
		/** How the owner was asked, for the 业委会 (never published). */
		note: text('note').notNull(),
		...doubleControl(),
		withdrawnAt: integer('withdrawn_at')
	},
	(t) => [
		index('choice_settlements_ballot').on(t.ballotId),
		// One live (pending or confirmed) settlement per case: a second proposal waits for the first to be withdrawn.
		uniqueWhileOpen('choice_settlements_live', [t.ballotId, t.caseKey], [t.withdrawnAt])
	]
);
