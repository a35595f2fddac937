import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { entryBy, stamp, storedPhoto, unitRelation } from './columns.ts';

/**
 * 公示记录: published outcome records, append-only. A correction or the final record is a new row
 * that names the version it supersedes; nothing is updated in place. `document` is the canonical
 * JSON whose SHA-256 is `hash`; `prevHash` is the hash of the row with seq − 1 (the chain).
 * The other columns repeat document fields for listing and search; verification checks they agree.
 */
export const outcomeRecords = sqliteTable(
	'outcome_records',
	{
		id: text('id').primaryKey(),
		/** Position in the installation-wide chain. Unique: two records can never claim one link. */
		seq: integer('seq').notNull(),
		itemId: text('item_id').notNull(),
		versionNo: integer('version_no').notNull(),
		stage: text('stage', { enum: ['preliminary', 'final'] }).notNull(),
		supersedesId: text('supersedes_id'),
		ballotId: text('ballot_id').notNull(),
		title: text('title').notNull(),
		publishedAt: integer('published_at').notNull(),
		publishedBy: text('published_by').notNull(),
		disputeEndsAt: integer('dispute_ends_at'),
		/** China calendar year of publication, for search. */
		year: integer('year').notNull(),
		document: text('document').notNull(),
		hash: text('hash').notNull(),
		prevHash: text('prev_hash'),
		/** The public vote export (canonical JSON) whose SHA-256 the document names. */
		voteExport: text('vote_export').notNull()
	},
	(t) => [
		uniqueIndex('outcome_records_seq').on(t.seq),
		// One row per version of an item: two concurrent corrections cannot both become version n.
		uniqueIndex('outcome_records_item_version').on(t.itemId, t.versionNo),
		index('outcome_records_ballot').on(t.ballotId)
	]
);

/** Where an item belongs (its compounds and their 居委, 片区, 街道), for the public search. */
export const outcomeRecordPlaces = sqliteTable(
	'outcome_record_places',
	{
		itemId: text('item_id').notNull(),
		nodeId: text('node_id').notNull(),
		kind: text('kind', { enum: ['street', 'cluster', 'committee', 'compound'] }).notNull()
	},
	(t) => [primaryKey({ columns: [t.itemId, t.nodeId] }), index('outcome_record_places_node').on(t.nodeId)]
);

/**
 * The count signed before publication: each participating compound's 业委会 (role owners_committee,
 * one per compound), and optionally a 监票人 co-signature (role scrutineer). The 业委会 also says
 * here whether its compound publishes masked per-unit votes.
 */
export const countSignatures = sqliteTable(
	'count_signatures',
	{
		ballotId: text('ballot_id').notNull(),
		compoundId: text('compound_id').notNull(),
		role: text('role', { enum: ['owners_committee', 'scrutineer'] }).notNull(),
		...stamp('signed'),
		unitVotes: text('unit_votes', { enum: ['none', 'masked'] })
			.notNull()
			.default('none')
	},
	(t) => [primaryKey({ columns: [t.ballotId, t.compoundId, t.role] })]
);

/** 异议: filed by a verified owner or resident during the dispute window. The filer is never published. */
export const recordObjections = sqliteTable(
	'record_objections',
	{
		id: text('id').primaryKey(),
		itemId: text('item_id').notNull(),
		recordId: text('record_id').notNull(),
		compoundId: text('compound_id').notNull(),
		relation: unitRelation('relation'),
		filedBy: text('filed_by').notNull(),
		body: text('body').notNull(),
		filedAt: integer('filed_at').notNull()
	},
	(t) => [index('record_objections_item').on(t.itemId)]
);

/** The public answer to an objection. One per objection (primary key): an answer is not rewritten. */
export const recordObjectionAnswers = sqliteTable('record_objection_answers', {
	objectionId: text('objection_id').primaryKey(),
	body: text('body').notNull(),
	...stamp('answered')
});

/** 落实任务: what has to happen, who is responsible (an organisation, not a person), by when. */
export const followupTasks = sqliteTable(
	'followup_tasks',
	{
		id: text('id').primaryKey(),
		itemId: text('item_id').notNull(),
		title: text('title').notNull(),
		organisation: text('organisation').notNull(),
		/** YYYY-MM-DD, China calendar. */
		dueDate: text('due_date').notNull(),
		...stamp('created')
	},
	(t) => [index('followup_tasks_item').on(t.itemId)]
);

/** 进展: status updates, appended; a task's status is its latest update's. */
export const followupUpdates = sqliteTable(
	'followup_updates',
	{
		id: text('id').primaryKey(),
		taskId: text('task_id').notNull(),
		itemId: text('item_id').notNull(),
		status: text('status', { enum: ['planned', 'in_progress', 'done'] }).notNull(),
		note: text('note').notNull(),
		...entryBy('by')
	},
	(t) => [index('followup_updates_task').on(t.taskId, t.at)]
);

/** Photos of progress, stored after stripping metadata (EXIF GPS, comments, text chunks). */
export const followupPhotos = sqliteTable(
	'followup_photos',
	{
		id: text('id').primaryKey(),
		updateId: text('update_id').notNull(),
		taskId: text('task_id').notNull(),
		...storedPhoto('mime'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('followup_photos_update').on(t.updateId)]
);

/** 评议: one rating per resident per item (primary key), once its tasks are done. */
export const outcomeRatings = sqliteTable(
	'outcome_ratings',
	{
		itemId: text('item_id').notNull(),
		userId: text('user_id').notNull(),
		compoundId: text('compound_id').notNull(),
		rating: text('rating', { enum: ['satisfied', 'basically_satisfied', 'unsatisfied'] }).notNull(),
		comment: text('comment').notNull(),
		at: integer('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.itemId, t.userId] })]
);

/** 销项: the item is closed. One row per item (primary key). */
export const itemClosures = sqliteTable('item_closures', {
	itemId: text('item_id').primaryKey(),
	...stamp('closed'),
	note: text('note').notNull()
});
