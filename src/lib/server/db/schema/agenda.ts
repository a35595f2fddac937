import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { demoFlag, entryBy, laterStamp, stamp, stance, storedPhoto, uniqueWhenPresent } from './columns.ts';

/**
 * 议题征集 → 议题确定 → 协商: concerns, deliberation sessions, agendas, debate, common ground,
 * advisory polls, meetings with minutes, and the in-app inbox.
 *
 * Append, don't overwrite, for anything that can be disputed: triage decisions, sign-offs,
 * moderation actions and minutes versions are rows of their own. The few status columns kept on
 * concerns and sessions are caches of the latest appended row, written in the same transaction.
 */

/** 议题: a matter raised by a resident. */
export const concerns = sqliteTable(
	'concerns',
	{
		id: text('id').primaryKey(),
		title: text('title').notNull(),
		body: text('body').notNull(),
		category: text('category').notNull(),
		/** Where, in words: "爱建与虹桥之间的边门". */
		location: text('location').notNull().default(''),
		/** The compound it was raised in: its 居委 / 业委会 triage it first. */
		homeCompoundId: text('home_compound_id').notNull(),
		/** JSON array: every compound it touches, home first. More than one sends it to the 片区. */
		compoundIds: text('compound_ids').notNull(),
		/** JSON CosignThreshold, fixed when raised so later setting changes do not move the goal. */
		threshold: text('threshold').notNull(),
		/** Households of the touched compounds when raised: the denominator of a share threshold. */
		households: integer('households').notNull(),
		status: text('status', { enum: ['collecting', 'queued', 'escalated', 'merged', 'answered', 'rejected', 'accepted'] }).notNull(),
		...stamp('raised'),
		queuedAt: integer('queued_at'),
		escalatedTo: text('escalated_to'),
		mergedInto: text('merged_into'),
		isDemo: demoFlag()
	},
	(t) => [index('concerns_status').on(t.status), index('concerns_home').on(t.homeCompoundId)]
);

/** 附议. One per person per concern: the unique index, not a read-then-insert check, enforces it. */
export const concernCosigns = sqliteTable(
	'concern_cosigns',
	{
		concernId: text('concern_id').notNull(),
		userId: text('user_id').notNull(),
		/** The household it counts for (null for staff without a home there). */
		unitId: text('unit_id'),
		compoundId: text('compound_id'),
		at: integer('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.concernId, t.userId] })]
);

/** Every triage step, appended: merge, answer, reject, accept, escalate — each with its public reason. */
export const concernTriage = sqliteTable(
	'concern_triage',
	{
		id: text('id').primaryKey(),
		concernId: text('concern_id').notNull(),
		outcome: text('outcome', { enum: ['merge', 'answer', 'reject', 'accept', 'escalate', 'hand_back'] }).notNull(),
		reason: text('reason').notNull(),
		/** 'local' (居委 / 业委会) or 'cluster' (片区): who decided. */
		level: text('level', { enum: ['local', 'cluster'] }).notNull(),
		mergedInto: text('merged_into'),
		escalatedTo: text('escalated_to'),
		...entryBy('actor_id')
	},
	(t) => [index('concern_triage_concern').on(t.concernId)]
);

/** 随手拍: photos, stored after their metadata (GPS, camera) was stripped. */
export const concernPhotos = sqliteTable(
	'concern_photos',
	{
		id: text('id').primaryKey(),
		concernId: text('concern_id').notNull(),
		...storedPhoto('content_type'),
		byteSize: integer('byte_size').notNull(),
		position: integer('position').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('concern_photos_concern').on(t.concernId)]
);

/** 协商会. `phase` caches the latest row of session_phase_log. */
export const delibSessions = sqliteTable('delib_sessions', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	kind: text('kind', { enum: ['hearing', 'coordination', 'review', 'dialogue', 'owners_assembly'] }).notNull(),
	/** JSON array of participating compound ids, in display order. */
	compoundIds: text('compound_ids').notNull(),
	concernId: text('concern_id'),
	facilitatorId: text('facilitator_id'),
	phase: text('phase', { enum: ['agenda', 'deliberation', 'drafting', 'voting', 'publicity', 'implementation'] }).notNull(),
	/** Bumped by every agenda change; a sign-off counts only for the revision it signed. */
	agendaRevision: integer('agenda_revision').notNull().default(0),
	...laterStamp('agenda_published'),
	/** Default turn limits for items that set none. */
	maxTurns: integer('max_turns').notNull(),
	maxChars: integer('max_chars').notNull(),
	speakSeconds: integer('speak_seconds').notNull(),
	...stamp('created'),
	isDemo: demoFlag()
});

/** Phase changes, appended. */
export const sessionPhaseLog = sqliteTable(
	'session_phase_log',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		phase: text('phase').notNull(),
		...entryBy('actor_id')
	},
	(t) => [index('session_phase_log_session').on(t.sessionId)]
);

/** The timetable: planned dates per phase (YYYY-MM-DD, Shanghai time). */
export const sessionTimetable = sqliteTable(
	'session_timetable',
	{
		sessionId: text('session_id').notNull(),
		phase: text('phase').notNull(),
		startsOn: text('starts_on').notNull(),
		endsOn: text('ends_on').notNull()
	},
	(t) => [primaryKey({ columns: [t.sessionId, t.phase] })]
);

/** 召集方: several organisations may co-convene; each must sign the agenda off. */
export const sessionConvenors = sqliteTable(
	'session_convenors',
	{
		sessionId: text('session_id').notNull(),
		nodeId: text('node_id').notNull(),
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.sessionId, t.nodeId] })]
);

/** A convenor's sign-off of one agenda revision. Appended; never withdrawn by deletion. */
export const agendaSignOffs = sqliteTable(
	'agenda_signoffs',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		convenorNodeId: text('convenor_node_id').notNull(),
		revision: integer('revision').notNull(),
		...entryBy('user_id')
	},
	(t) => [uniqueIndex('agenda_signoffs_once').on(t.sessionId, t.convenorNodeId, t.revision)]
);

/** 条块约请: departments invited (traffic police, housing bureau), with their written response. */
export const sessionDepartments = sqliteTable(
	'session_departments',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		name: text('name').notNull(),
		...stamp('invited'),
		response: text('response'),
		respondedAt: integer('responded_at'),
		recordedBy: text('recorded_by')
	},
	(t) => [index('session_departments_session').on(t.sessionId)]
);

/** 议程事项. Frozen once the agenda is published (the service refuses edits after that). */
export const agendaItems = sqliteTable(
	'agenda_items',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		/** The exact question put to the participants. */
		question: text('question').notNull(),
		/** How it is decided; the voting module applies it. */
		rule: text('rule', { enum: ['major', 'ordinary', 'unanimous_affected', 'residents_meeting', 'advisory'] }).notNull(),
		background: text('background').notNull().default(''),
		concernId: text('concern_id'),
		/** Per-item turn limits; null falls back to the session's. */
		maxTurns: integer('max_turns'),
		maxChars: integer('max_chars'),
		speakSeconds: integer('speak_seconds'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [uniqueIndex('agenda_items_position').on(t.sessionId, t.position)]
);

/** 成本收益: what an item costs and brings each participating compound. */
export const agendaItemImpacts = sqliteTable(
	'agenda_item_impacts',
	{
		itemId: text('item_id').notNull(),
		compoundId: text('compound_id').notNull(),
		costs: text('costs').notNull(),
		benefits: text('benefits').notNull()
	},
	(t) => [primaryKey({ columns: [t.itemId, t.compoundId] })]
);

/** Arguments (stance set) and replies (parentId set). Never deleted: hiding is a moderation row. */
export const debatePosts = sqliteTable(
	'debate_posts',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		itemId: text('item_id').notNull(),
		parentId: text('parent_id'),
		authorId: text('author_id').notNull(),
		/** The author's compound, shown with the post; null for staff and facilitators. */
		compoundId: text('compound_id'),
		/** The author's role label when posting without a household (主持人, 居委工作人员 …). */
		roleLabel: text('role_label'),
		stance: stance(),
		body: text('body').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('debate_posts_item').on(t.itemId, t.createdAt), index('debate_posts_author').on(t.itemId, t.authorId)]
);

/** The moderation log: hide / restore, with a public reason. The latest row per post decides. */
export const moderationActions = sqliteTable(
	'moderation_actions',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		postId: text('post_id').notNull(),
		action: text('action', { enum: ['hide', 'restore'] }).notNull(),
		reason: text('reason').notNull(),
		...entryBy('actor_id')
	},
	(t) => [index('moderation_actions_session').on(t.sessionId, t.at), index('moderation_actions_post').on(t.postId)]
);

/** 共识表述: short statements residents agree / disagree / pass on. */
export const groundStatements = sqliteTable(
	'ground_statements',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		text: text('text').notNull(),
		authorId: text('author_id').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('ground_statements_session').on(t.sessionId)]
);

/** One answer per person per statement; a change of mind replaces it (not a disputable record). */
export const groundVotes = sqliteTable(
	'ground_votes',
	{
		statementId: text('statement_id').notNull(),
		userId: text('user_id').notNull(),
		compoundId: text('compound_id').notNull(),
		choice: text('choice', { enum: ['agree', 'disagree', 'pass'] }).notNull(),
		at: integer('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.statementId, t.userId] })]
);

/** 意见征询: advisory polls, open to every resident (tenants too). */
export const advisoryPolls = sqliteTable(
	'advisory_polls',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		question: text('question').notNull(),
		/** JSON array of option labels. */
		options: text('options').notNull(),
		...stamp('created'),
		closedAt: integer('closed_at')
	},
	(t) => [index('advisory_polls_session').on(t.sessionId)]
);

export const advisoryAnswers = sqliteTable(
	'advisory_answers',
	{
		pollId: text('poll_id').notNull(),
		userId: text('user_id').notNull(),
		compoundId: text('compound_id').notNull(),
		option: integer('option').notNull(),
		at: integer('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.pollId, t.userId] })]
);

/** 会议. The meeting-mode fields hold what the projector shows right now. */
export const meetings = sqliteTable(
	'meetings',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').notNull(),
		title: text('title').notNull(),
		startsAt: integer('starts_at').notNull(),
		place: text('place').notNull(),
		...stamp('created'),
		currentItemId: text('current_item_id'),
		/** The speaker on the floor (a speaker_requests id) and when their clock started. */
		currentRequestId: text('current_request_id'),
		timerStartedAt: integer('timer_started_at'),
		timerSeconds: integer('timer_seconds'),
		/** The draft set (one alternative, 纪要) the minutes are written in together; null until someone starts it. */
		minutesDraftSetId: text('minutes_draft_set_id')
	},
	(t) => [index('meetings_session').on(t.sessionId)]
);

export const meetingAttendance = sqliteTable(
	'meeting_attendance',
	{
		id: text('id').primaryKey(),
		meetingId: text('meeting_id').notNull(),
		name: text('name').notNull(),
		userId: text('user_id'),
		compoundId: text('compound_id'),
		...entryBy('recorded_by')
	},
	(t) => [index('meeting_attendance_meeting').on(t.meetingId), uniqueWhenPresent('meeting_attendance_user', [t.meetingId], t.userId)]
);

/** 发言排队. `spokeAt` is stamped when the chair gives the floor. */
export const speakerRequests = sqliteTable(
	'speaker_requests',
	{
		id: text('id').primaryKey(),
		meetingId: text('meeting_id').notNull(),
		itemId: text('item_id').notNull(),
		speakerKey: text('speaker_key').notNull(),
		name: text('name').notNull(),
		compoundId: text('compound_id'),
		stance: stance().notNull(),
		requestedAt: integer('requested_at').notNull(),
		spokeAt: integer('spoke_at')
	},
	(t) => [index('speaker_requests_meeting').on(t.meetingId, t.itemId)]
);

/** 举手表决 entered by the chair. Appended; the latest per item is shown, corrections keep history. */
export const showOfHands = sqliteTable(
	'show_of_hands',
	{
		id: text('id').primaryKey(),
		meetingId: text('meeting_id').notNull(),
		itemId: text('item_id').notNull(),
		yes: integer('yes').notNull(),
		no: integer('no').notNull(),
		abstain: integer('abstain').notNull(),
		...entryBy('recorded_by')
	},
	(t) => [index('show_of_hands_meeting').on(t.meetingId, t.itemId)]
);

/** 会议纪要 versions, appended; number is 1, 2, 3 … per meeting. */
export const minutesVersions = sqliteTable(
	'minutes_versions',
	{
		id: text('id').primaryKey(),
		meetingId: text('meeting_id').notNull(),
		number: integer('number').notNull(),
		text: text('text').notNull(),
		...entryBy('author_id')
	},
	(t) => [uniqueIndex('minutes_versions_number').on(t.meetingId, t.number)]
);

/** Approval of one minutes version. One per meeting: approved minutes are final. */
export const minutesApprovals = sqliteTable('minutes_approvals', {
	meetingId: text('meeting_id').primaryKey(),
	versionId: text('version_id').notNull(),
	...entryBy('approved_by'),
	/** SHA-256 (hex) of the approved version's text, recorded at approval; null for approvals made before it was kept. */
	textHash: text('text_hash')
});

/** 站内消息. `dedupeKey` stops the same reminder reaching a person twice. */
export const notifications = sqliteTable(
	'notifications',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').notNull(),
		kind: text('kind').notNull(),
		title: text('title').notNull(),
		body: text('body').notNull().default(''),
		href: text('href').notNull(),
		dedupeKey: text('dedupe_key'),
		createdAt: integer('created_at').notNull(),
		readAt: integer('read_at')
	},
	(t) => [index('notifications_user').on(t.userId, t.createdAt), uniqueWhenPresent('notifications_dedupe', [t.userId], t.dedupeKey)]
);
