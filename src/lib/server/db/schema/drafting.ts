import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { laterStamp, stamp } from './columns.ts';

/**
 * 方案起草: collaborative drafting of the alternatives a decision will choose between.
 *
 * A draft set is generic on purpose: it names the participating compounds and, optionally, the
 * deliberation session it belongs to, so the agenda/deliberation module can link to it later
 * without this module knowing about agendas.
 */
export const draftSets = sqliteTable(
	'draft_sets',
	{
		id: text('id').primaryKey(),
		title: text('title').notNull(),
		/** JSON array of compound (小区) ids, in display order; this order is also the canonical order. */
		compoundIds: text('compound_ids').notNull(),
		/** The deliberation session, when there is one: session-scoped facilitators edit through it. */
		sessionId: text('session_id'),
		/** 'drafting' → 'frozen', once. The freeze stamps `frozenAt`; nothing moves back. */
		phase: text('phase', { enum: ['drafting', 'frozen'] })
			.notNull()
			.default('drafting'),
		...stamp('created'),
		...laterStamp('frozen')
	},
	(t) => [index('draft_sets_session').on(t.sessionId)]
);

/** 方案A/B/C. Each alternative is one Y.Doc, named `alt:<id>` on the wire. */
export const draftAlternatives = sqliteTable(
	'draft_alternatives',
	{
		id: text('id').primaryKey(),
		setId: text('set_id').notNull(),
		label: text('label').notNull(),
		/** The title at creation; the live title is the header field in the document. */
		title: text('title').notNull(),
		position: integer('position').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [uniqueIndex('draft_alternatives_set_label').on(t.setId, t.label), index('draft_alternatives_set').on(t.setId)]
);

/**
 * Yjs updates as received, appended before the sender is acknowledged.
 * Invariant: the document = the snapshot (if any) + every row here for the alternative. Compaction
 * deletes exactly the rows it folded into the snapshot, in the same transaction. AUTOINCREMENT so
 * an id is never reused after compaction deletes the highest rows.
 */
export const draftDocUpdates = sqliteTable(
	'draft_doc_updates',
	{
		seq: integer('seq').primaryKey({ autoIncrement: true }),
		alternativeId: text('alternative_id').notNull(),
		update: blob('update', { mode: 'buffer' }).notNull(),
		/**
		 * How many Yjs updates `update` holds: 1, the blob is one update; more, the updates that
		 * arrived together from one sender, each as a lib0 varUint8Array one after the other
		 * (drafting/store.ts updatesOfRow). One row per commit group, without the cost of merging.
		 */
		updateCount: integer('update_count').notNull().default(1),
		/** Who sent it (null for server-made changes such as the initial header). */
		userId: text('user_id'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('draft_doc_updates_alt_seq').on(t.alternativeId, t.seq)]
);

/** One compacted state per alternative: a Y.Doc re-encoded, covering every update up to `upToSeq`. */
export const draftDocSnapshots = sqliteTable('draft_doc_snapshots', {
	alternativeId: text('alternative_id').primaryKey(),
	upToSeq: integer('up_to_seq').notNull(),
	state: blob('state', { mode: 'buffer' }).notNull(),
	byteSize: integer('byte_size').notNull(),
	updatedAt: integer('updated_at').notNull()
});

/** Named versions (第一稿, 第二稿 …). Appended; a restore is a new version pointing at its source. */
export const draftVersions = sqliteTable(
	'draft_versions',
	{
		id: text('id').primaryKey(),
		alternativeId: text('alternative_id').notNull(),
		number: integer('number').notNull(),
		name: text('name').notNull(),
		/** Full Yjs state (encodeStateAsUpdate) at the moment the version was taken. */
		state: blob('state', { mode: 'buffer' }).notNull(),
		restoredFrom: text('restored_from'),
		...stamp('created')
	},
	(t) => [uniqueIndex('draft_versions_alt_number').on(t.alternativeId, t.number)]
);

/**
 * The exact text put to the vote. Written once at freeze, never updated: the unique index makes a
 * second freeze of the same alternative fail rather than overwrite.
 */
export const draftFrozenTexts = sqliteTable(
	'draft_frozen_texts',
	{
		id: text('id').primaryKey(),
		setId: text('set_id').notNull(),
		alternativeId: text('alternative_id').notNull(),
		label: text('label').notNull(),
		/** Sanitised HTML of header + body, for display and print. */
		html: text('html').notNull(),
		/** The canonical plain text (see domain/drafting/canonical.ts); `textHash` is over this. */
		text: text('text').notNull(),
		/** SHA-256 hex of the UTF-8 canonical text. */
		textHash: text('text_hash').notNull(),
		htmlHash: text('html_hash').notNull(),
		canonicalForm: text('canonical_form').notNull(),
		state: blob('state', { mode: 'buffer' }).notNull(),
		...stamp('frozen')
	},
	(t) => [uniqueIndex('draft_frozen_texts_alt').on(t.alternativeId), index('draft_frozen_texts_set').on(t.setId)]
);

/**
 * 批注: comments live in the database, not in the Y.Doc, so they cannot be edited away by a
 * collaborator. A top-level comment carries its anchor (Yjs relative positions, base64) and the
 * quoted text; a reply points at its parent and has no anchor.
 */
export const draftComments = sqliteTable(
	'draft_comments',
	{
		id: text('id').primaryKey(),
		alternativeId: text('alternative_id').notNull(),
		parentId: text('parent_id'),
		authorId: text('author_id').notNull(),
		body: text('body').notNull(),
		anchorStart: text('anchor_start'),
		anchorEnd: text('anchor_end'),
		quote: text('quote'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('draft_comments_alt').on(t.alternativeId), index('draft_comments_parent').on(t.parentId)]
);

/** A resolution is its own row (append-only); one per comment, enforced by the unique index. */
export const draftCommentResolutions = sqliteTable(
	'draft_comment_resolutions',
	{
		id: text('id').primaryKey(),
		commentId: text('comment_id').notNull(),
		resolvedBy: text('resolved_by').notNull(),
		note: text('note'),
		resolvedAt: integer('resolved_at').notNull()
	},
	(t) => [uniqueIndex('draft_comment_resolutions_comment').on(t.commentId)]
);
