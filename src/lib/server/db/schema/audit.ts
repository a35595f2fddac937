import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Append-only audit trail: who did what to which subject, and when. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: integer('at').notNull(),
		actorId: text('actor_id'),
		action: text('action').notNull(),
		subjectType: text('subject_type').notNull(),
		subjectId: text('subject_id').notNull(),
		detail: text('detail').notNull().default('{}')
	},
	(t) => [index('audit_log_subject').on(t.subjectType, t.subjectId)]
);
