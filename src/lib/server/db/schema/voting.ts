import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { doubleControl, laterStamp, stamp, uniqueWhileOpen, unitRosterFacts, voteChannel, voteChoice } from './columns.ts';

/**
 * 业主表决 (owners' ballots). Lifecycle, stamped rather than overwritten:
 * created → noticePublishedAt (公告, ≥ noticeDays before opensAt) → openedAt (electorate frozen)
 * → closedAt (tally and inputs frozen into `exportJson`).
 *
 * Everything that decides the count — rule, both-channels rule, allowChange, secrecy, motions,
 * per-compound options — is fixed at creation and never edited afterwards.
 */
export const ballots = sqliteTable(
	'ballots',
	{
		id: text('id').primaryKey(),
		title: text('title').notNull(),
		/** The agenda item this ballot decides; the agenda module will make it required. */
		agendaItemId: text('agenda_item_id'),
		ruleKind: text('rule_kind', { enum: ['ordinary', 'major', 'unanimous_affected', 'advisory'] }).notNull(),
		bothChannelsRule: text('both_channels_rule', { enum: ['electronic_prevails', 'paper_prevails'] }).notNull(),
		/** secret: yes/no hidden until the close; open: running counts shown while voting. */
		countsVisibility: text('counts_visibility', { enum: ['secret', 'open'] }).notNull(),
		/** Whether an owner may change their vote until the close (the last one counts). */
		allowChange: integer('allow_change', { mode: 'boolean' }).notNull(),
		noticeDays: integer('notice_days').notNull(),
		opensAt: integer('opens_at').notNull(),
		closesAt: integer('closes_at').notNull(),
		/** Per-ballot HMAC key for pseudonymised owner and voter keys. Never exported or shown. */
		salt: text('salt').notNull(),
		...stamp('created'),
		...laterStamp('notice_published'),
		...laterStamp('opened'),
		...laterStamp('closed'),
		/** The frozen export (yishi-vote-export v1) written at close; the published result is read from it. */
		exportJson: text('export_json'),
		/** JSON: the notice period and voting window as computed at creation (dates, rule, calendar version). */
		periodsJson: text('periods_json'),
		/** Why the count closed later than closesAt (e.g. paper entries awaiting their second entry); null when on time. */
		closeDelayReason: text('close_delay_reason')
	},
	(t) => [index('ballots_agenda_item').on(t.agendaItemId)]
);

/** The participating compounds, each its own electorate with its own options. */
export const ballotCompounds = sqliteTable(
	'ballot_compounds',
	{
		ballotId: text('ballot_id').notNull(),
		compoundId: text('compound_id').notNull(),
		position: integer('position').notNull(),
		/** 指导规则 art. 26, off unless this compound's rules of procedure say so. */
		nonVoterRule: text('non_voter_rule', { enum: ['off', 'follow_majority'] }).notNull(),
		/** The roster version frozen at opening; null before. */
		rosterVersionId: text('roster_version_id')
	},
	(t) => [primaryKey({ columns: [t.ballotId, t.compoundId] }), index('ballot_compounds_compound').on(t.compoundId)]
);

/** 表决事项, e.g. 方案A / 方案B / 方案C, each answered yes / no / abstain. */
export const ballotMotions = sqliteTable(
	'ballot_motions',
	{
		ballotId: text('ballot_id').notNull(),
		/** Short id shown and exported, e.g. "A"; unique within the ballot. */
		motionId: text('motion_id').notNull(),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		/** The frozen proposal text and its SHA-256, supplied by the drafting module. */
		text: text('text'),
		textHash: text('text_hash')
	},
	(t) => [primaryKey({ columns: [t.ballotId, t.motionId] })]
);

/**
 * The electorate: a copy of each participating compound's latest roster entries, taken when the
 * ballot opened. It is the denominator; later roster versions do not touch it.
 */
export const electorateUnits = sqliteTable(
	'electorate_units',
	{
		ballotId: text('ballot_id').notNull(),
		compoundId: text('compound_id').notNull(),
		unitId: text('unit_id').notNull(),
		buildingId: text('building_id').notNull(),
		buildingName: text('building_name').notNull(),
		room: text('room').notNull(),
		...unitRosterFacts(),
		/** The roster's owner key in clear; pseudonymised with the ballot's salt when exported. */
		ownerKey: text('owner_key').notNull()
	},
	(t) => [primaryKey({ columns: [t.ballotId, t.unitId] }), index('electorate_units_building').on(t.ballotId, t.buildingId)]
);

/**
 * Who may vote for each unit of the electorate: its verified owner accounts when the ballot opened,
 * or, for a unit that had none, the first account to verify it while the ballot is open. A later
 * claim (a reissued letter, a second account) takes effect for later ballots only, so nobody can
 * silently replace a counted vote by issuing a new letter during the vote.
 */
export const electorateVoters = sqliteTable(
	'electorate_voters',
	{
		ballotId: text('ballot_id').notNull(),
		unitId: text('unit_id').notNull(),
		userId: text('user_id').notNull(),
		/**
		 * opening: verified before the ballot opened; first_claim: the unit's first verification during
		 * it; owner_change: named by an owner change confirmed by a second 业委会 member.
		 */
		basis: text('basis', { enum: ['opening', 'first_claim', 'owner_change'] }).notNull(),
		addedAt: integer('added_at').notNull(),
		/** Set when a confirmed owner change (`endedByChange`) replaced this voter; the row stays. */
		endedAt: integer('ended_at'),
		endedByChange: text('ended_by_change')
	},
	(t) => [primaryKey({ columns: [t.ballotId, t.unitId, t.userId] }), index('electorate_voters_user').on(t.userId, t.ballotId)]
);

/**
 * 业主变更登记 during an open ballot, under double control: one 业委会 member proposes it (the unit,
 * the new owner's verified account, a reason such as 房屋已过户), a second, different member of the
 * unit's compound confirms it. Only then does the new owner vote for the unit in this ballot.
 */
export const ownerChanges = sqliteTable(
	'owner_changes',
	{
		id: text('id').primaryKey(),
		ballotId: text('ballot_id').notNull(),
		compoundId: text('compound_id').notNull(),
		unitId: text('unit_id').notNull(),
		newUserId: text('new_user_id').notNull(),
		reason: text('reason').notNull(),
		...doubleControl(),
		/** cast_votes.seq at confirmation: the unit's ballots up to it were cast by the previous owner. */
		confirmedAfterSeq: integer('confirmed_after_seq'),
		withdrawnAt: integer('withdrawn_at')
	},
	(t) => [
		index('owner_changes_ballot').on(t.ballotId),
		// One pending change per unit and ballot: a second proposal waits for the first to be settled.
		uniqueWhileOpen('owner_changes_pending', [t.ballotId, t.unitId], [t.confirmedAt, t.withdrawnAt])
	]
);

/**
 * One electronic submission: an owner (or a proxy) answering every motion for one or more units.
 * Carries the receipt code the voter can later find in the published list.
 */
export const electronicSubmissions = sqliteTable(
	'electronic_submissions',
	{
		id: text('id').primaryKey(),
		ballotId: text('ballot_id').notNull(),
		receipt: text('receipt').notNull(),
		voterUserId: text('voter_user_id').notNull(),
		proxyId: text('proxy_id'),
		/** JSON: { [motionId]: 'yes' | 'no' | 'abstain' }. */
		choices: text('choices').notNull(),
		/** JSON array of unit ids this submission voted for. */
		unitIds: text('unit_ids').notNull(),
		castAt: integer('cast_at').notNull()
	},
	(t) => [
		uniqueIndex('electronic_submissions_receipt').on(t.receipt),
		index('electronic_submissions_ballot_voter').on(t.ballotId, t.voterUserId)
	]
);

/**
 * Every ballot cast, per unit and motion, both channels: append-only history. `seq` is the
 * engine's tie-breaker and grows with commit order. Superseded rows stay (a changed vote, or the
 * other channel under bothChannelsRule); the tally picks the one that counts.
 */
export const castVotes = sqliteTable(
	'cast_votes',
	{
		seq: integer('seq').primaryKey({ autoIncrement: true }),
		ballotId: text('ballot_id').notNull(),
		motionId: text('motion_id').notNull(),
		compoundId: text('compound_id').notNull(),
		unitId: text('unit_id').notNull(),
		channel: voteChannel(),
		choice: voteChoice(),
		/** Electronic: the account that cast it (owner or proxy). Paper: null (the signer is the unit's owner). */
		voterUserId: text('voter_user_id'),
		proxyId: text('proxy_id'),
		/** electronic_submissions.id or paper_entries.id of the confirming (second) entry. */
		sourceId: text('source_id').notNull(),
		castAt: integer('cast_at').notNull()
	},
	(t) => [
		index('cast_votes_ballot_unit').on(t.ballotId, t.unitId),
		// The live tally reads only the rows after the last seq it counted (voting/live-cache.ts).
		index('cast_votes_ballot_seq').on(t.ballotId, t.seq)
	]
);

/**
 * The ballot that currently counts per unit, motion and channel.
 *
 * Invariant: at most one row per (ballot, motion, unit, channel) — the primary key, not a check in
 * code, is what makes repeated and concurrent submissions unable to double count. Without
 * allowChange a second insert is refused by the key; with allowChange it is one upsert that points
 * the row at the newer cast_votes row. Between channels, bothChannelsRule decides in the tally.
 */
export const countedVotes = sqliteTable(
	'counted_votes',
	{
		ballotId: text('ballot_id').notNull(),
		motionId: text('motion_id').notNull(),
		unitId: text('unit_id').notNull(),
		channel: voteChannel(),
		compoundId: text('compound_id').notNull(),
		choice: voteChoice(),
		seq: integer('seq').notNull(),
		viaProxy: integer('via_proxy', { mode: 'boolean' }).notNull(),
		countedAt: integer('counted_at').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.ballotId, t.motionId, t.unitId, t.channel] }),
		// "Already counted?" on every check and cast looks up units, not motions: without it the key's
		// ballot_id prefix scans every counted row of the ballot, inside the write.
		index('counted_votes_ballot_unit').on(t.ballotId, t.unitId, t.channel)
	]
);

/**
 * 纸质票录入: one member's typing of one signed paper ballot. A paper ballot counts only when a
 * second, different member's entry matches (双人录入). Entries are never edited; they are stamped
 * confirmed (when matched) or withdrawn (by their author, to resolve a mismatch).
 */
export const paperEntries = sqliteTable(
	'paper_entries',
	{
		id: text('id').primaryKey(),
		ballotId: text('ballot_id').notNull(),
		unitId: text('unit_id').notNull(),
		enteredBy: text('entered_by').notNull(),
		/** JSON: { [motionId]: choice }, keys sorted, so equal ballots have equal text. */
		choices: text('choices').notNull(),
		/**
		 * A ballot signed by a proxy: the 委托书 (proxies.id) it was signed under, as typed by this member.
		 * Part of the double entry: two entries match only when they name the same 委托书 (or none).
		 */
		proxyId: text('proxy_id'),
		enteredAt: integer('entered_at').notNull(),
		/** The other member's entry this one matched. */
		matchedEntryId: text('matched_entry_id'),
		confirmedAt: integer('confirmed_at'),
		withdrawnAt: integer('withdrawn_at')
	},
	(t) => [
		index('paper_entries_ballot_unit').on(t.ballotId, t.unitId),
		// One open entry per member per unit: the same member can never supply the matching second entry.
		uniqueWhileOpen('paper_entries_one_open_per_member', [t.ballotId, t.unitId, t.enteredBy], [t.confirmedAt, t.withdrawnAt])
	]
);

/** 委托书: a principal's written authorisation for a proxy to vote as instructed. */
export const proxies = sqliteTable(
	'proxies',
	{
		id: text('id').primaryKey(),
		ballotId: text('ballot_id').notNull(),
		/** The principal's units (JSON array), all in the electorate under one owner key. */
		unitIds: text('unit_ids').notNull(),
		principalName: text('principal_name').notNull(),
		proxyUserId: text('proxy_user_id').notNull(),
		/** JSON: { [motionId]: choice } — the motions covered and the principal's instruction on each. */
		instructions: text('instructions').notNull(),
		...stamp('recorded'),
		revokedAt: integer('revoked_at')
	},
	(t) => [index('proxies_ballot').on(t.ballotId), index('proxies_proxy_user').on(t.proxyUserId)]
);
