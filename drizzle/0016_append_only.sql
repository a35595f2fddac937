ALTER TABLE `paper_entries` ADD `proxy_id` text;--> statement-breakpoint
-- Append-only, enforced by the database (issue #18 part 4; STYLE.md guideline 6). Anything that can be
-- disputed — ballots cast, the frozen electorate, paper entries, 委托书, owner changes, published records,
-- objections and their answers, ratings, follow-through, the audit trail — is appended, never changed in
-- place; a correction is a new row (a changed vote is a new cast_votes row, a corrected record a new
-- outcome_records version). These triggers refuse any other UPDATE or DELETE, as org_nodes does (0006),
-- so neither a bug nor a statement typed on the live file can rewrite history unnoticed.
--
-- Where a row legitimately changes, only that change is let through, and it is named here:
-- * stamps (paper_entries confirmed/withdrawn, proxies revoked, owner_changes confirmed/withdrawn, the
--   ballot's notice, opening and closing with its frozen export, ballot_compounds' frozen roster version)
--   go from NULL to a value once and are never changed or cleared; every other column of those rows is
--   fixed. A member's undo of an unconfirmed paper entry is such a stamp (withdrawn_at), not a delete;
-- * counted_votes is not history but the pointer to the ballot that currently counts per unit, motion
--   and channel (cast_votes holds the history): an allowed change of vote points it at a newer cast row
--   (seq only grows), and a confirmed owner change removes the unit's electronic pointer so that the new
--   owner's ballot can count even where changes are not allowed; its key columns never change;
-- * electorate_voters: a voter is ended by an owner change (ended_at stamped) and, should a later change
--   name the same account again, taken back on the same key (voting/owner-changes.ts); which account votes
--   for which unit never changes, and no row is deleted.
CREATE TRIGGER cast_votes_append_only BEFORE UPDATE ON cast_votes
BEGIN
	SELECT RAISE(ABORT, 'cast_votes: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER cast_votes_never_deleted BEFORE DELETE ON cast_votes
BEGIN
	SELECT RAISE(ABORT, 'cast_votes: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER electronic_submissions_append_only BEFORE UPDATE ON electronic_submissions
BEGIN
	SELECT RAISE(ABORT, 'electronic_submissions: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER electronic_submissions_never_deleted BEFORE DELETE ON electronic_submissions
BEGIN
	SELECT RAISE(ABORT, 'electronic_submissions: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER electorate_units_append_only BEFORE UPDATE ON electorate_units
BEGIN
	SELECT RAISE(ABORT, 'electorate_units: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER electorate_units_never_deleted BEFORE DELETE ON electorate_units
BEGIN
	SELECT RAISE(ABORT, 'electorate_units: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER outcome_records_append_only BEFORE UPDATE ON outcome_records
BEGIN
	SELECT RAISE(ABORT, 'outcome_records: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER outcome_records_never_deleted BEFORE DELETE ON outcome_records
BEGIN
	SELECT RAISE(ABORT, 'outcome_records: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER count_signatures_append_only BEFORE UPDATE ON count_signatures
BEGIN
	SELECT RAISE(ABORT, 'count_signatures: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER count_signatures_never_deleted BEFORE DELETE ON count_signatures
BEGIN
	SELECT RAISE(ABORT, 'count_signatures: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER record_objections_append_only BEFORE UPDATE ON record_objections
BEGIN
	SELECT RAISE(ABORT, 'record_objections: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER record_objections_never_deleted BEFORE DELETE ON record_objections
BEGIN
	SELECT RAISE(ABORT, 'record_objections: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER record_objection_answers_append_only BEFORE UPDATE ON record_objection_answers
BEGIN
	SELECT RAISE(ABORT, 'record_objection_answers: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER record_objection_answers_never_deleted BEFORE DELETE ON record_objection_answers
BEGIN
	SELECT RAISE(ABORT, 'record_objection_answers: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER outcome_ratings_append_only BEFORE UPDATE ON outcome_ratings
BEGIN
	SELECT RAISE(ABORT, 'outcome_ratings: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER outcome_ratings_never_deleted BEFORE DELETE ON outcome_ratings
BEGIN
	SELECT RAISE(ABORT, 'outcome_ratings: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER followup_tasks_append_only BEFORE UPDATE ON followup_tasks
BEGIN
	SELECT RAISE(ABORT, 'followup_tasks: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER followup_tasks_never_deleted BEFORE DELETE ON followup_tasks
BEGIN
	SELECT RAISE(ABORT, 'followup_tasks: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER followup_updates_append_only BEFORE UPDATE ON followup_updates
BEGIN
	SELECT RAISE(ABORT, 'followup_updates: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER followup_updates_never_deleted BEFORE DELETE ON followup_updates
BEGIN
	SELECT RAISE(ABORT, 'followup_updates: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER item_closures_append_only BEFORE UPDATE ON item_closures
BEGIN
	SELECT RAISE(ABORT, 'item_closures: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER item_closures_never_deleted BEFORE DELETE ON item_closures
BEGIN
	SELECT RAISE(ABORT, 'item_closures: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER ballot_motions_append_only BEFORE UPDATE ON ballot_motions
BEGIN
	SELECT RAISE(ABORT, 'ballot_motions: append-only, a row is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER ballot_motions_never_deleted BEFORE DELETE ON ballot_motions
BEGIN
	SELECT RAISE(ABORT, 'ballot_motions: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER paper_entries_stamped_once BEFORE UPDATE ON paper_entries
WHEN NEW.id IS NOT OLD.id
	OR NEW.ballot_id IS NOT OLD.ballot_id
	OR NEW.unit_id IS NOT OLD.unit_id
	OR NEW.entered_by IS NOT OLD.entered_by
	OR NEW.choices IS NOT OLD.choices
	OR NEW.proxy_id IS NOT OLD.proxy_id
	OR NEW.entered_at IS NOT OLD.entered_at
	OR (OLD.matched_entry_id IS NOT NULL AND NEW.matched_entry_id IS NOT OLD.matched_entry_id)
	OR (OLD.confirmed_at IS NOT NULL AND NEW.confirmed_at IS NOT OLD.confirmed_at)
	OR (OLD.withdrawn_at IS NOT NULL AND NEW.withdrawn_at IS NOT OLD.withdrawn_at)
BEGIN
	SELECT RAISE(ABORT, 'paper_entries: append-only, an entry is only stamped confirmed or withdrawn, once');
END;
--> statement-breakpoint
CREATE TRIGGER paper_entries_never_deleted BEFORE DELETE ON paper_entries
BEGIN
	SELECT RAISE(ABORT, 'paper_entries: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER proxies_stamped_once BEFORE UPDATE ON proxies
WHEN NEW.id IS NOT OLD.id
	OR NEW.ballot_id IS NOT OLD.ballot_id
	OR NEW.unit_ids IS NOT OLD.unit_ids
	OR NEW.principal_name IS NOT OLD.principal_name
	OR NEW.proxy_user_id IS NOT OLD.proxy_user_id
	OR NEW.instructions IS NOT OLD.instructions
	OR NEW.recorded_by IS NOT OLD.recorded_by
	OR NEW.recorded_at IS NOT OLD.recorded_at
	OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NOT OLD.revoked_at)
BEGIN
	SELECT RAISE(ABORT, 'proxies: append-only, a 委托书 is only stamped revoked, once');
END;
--> statement-breakpoint
CREATE TRIGGER proxies_never_deleted BEFORE DELETE ON proxies
BEGIN
	SELECT RAISE(ABORT, 'proxies: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER owner_changes_stamped_once BEFORE UPDATE ON owner_changes
WHEN NEW.id IS NOT OLD.id
	OR NEW.ballot_id IS NOT OLD.ballot_id
	OR NEW.compound_id IS NOT OLD.compound_id
	OR NEW.unit_id IS NOT OLD.unit_id
	OR NEW.new_user_id IS NOT OLD.new_user_id
	OR NEW.reason IS NOT OLD.reason
	OR NEW.proposed_by IS NOT OLD.proposed_by
	OR NEW.proposed_at IS NOT OLD.proposed_at
	OR (OLD.confirmed_by IS NOT NULL AND NEW.confirmed_by IS NOT OLD.confirmed_by)
	OR (OLD.confirmed_at IS NOT NULL AND NEW.confirmed_at IS NOT OLD.confirmed_at)
	OR (OLD.confirmed_after_seq IS NOT NULL AND NEW.confirmed_after_seq IS NOT OLD.confirmed_after_seq)
	OR (OLD.withdrawn_at IS NOT NULL AND NEW.withdrawn_at IS NOT OLD.withdrawn_at)
BEGIN
	SELECT RAISE(ABORT, 'owner_changes: append-only, a change is only stamped confirmed or withdrawn, once');
END;
--> statement-breakpoint
CREATE TRIGGER owner_changes_never_deleted BEFORE DELETE ON owner_changes
BEGIN
	SELECT RAISE(ABORT, 'owner_changes: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER ballot_compounds_stamped_once BEFORE UPDATE ON ballot_compounds
WHEN NEW.ballot_id IS NOT OLD.ballot_id
	OR NEW.compound_id IS NOT OLD.compound_id
	OR NEW.position IS NOT OLD.position
	OR NEW.non_voter_rule IS NOT OLD.non_voter_rule
	OR (OLD.roster_version_id IS NOT NULL AND NEW.roster_version_id IS NOT OLD.roster_version_id)
BEGIN
	SELECT RAISE(ABORT, 'ballot_compounds: append-only, only the roster version frozen at opening is stamped, once');
END;
--> statement-breakpoint
CREATE TRIGGER ballot_compounds_never_deleted BEFORE DELETE ON ballot_compounds
BEGIN
	SELECT RAISE(ABORT, 'ballot_compounds: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER ballots_stamped_once BEFORE UPDATE ON ballots
WHEN NEW.id IS NOT OLD.id
	OR NEW.title IS NOT OLD.title
	OR NEW.agenda_item_id IS NOT OLD.agenda_item_id
	OR NEW.rule_kind IS NOT OLD.rule_kind
	OR NEW.both_channels_rule IS NOT OLD.both_channels_rule
	OR NEW.counts_visibility IS NOT OLD.counts_visibility
	OR NEW.allow_change IS NOT OLD.allow_change
	OR NEW.notice_days IS NOT OLD.notice_days
	OR NEW.opens_at IS NOT OLD.opens_at
	OR NEW.closes_at IS NOT OLD.closes_at
	OR NEW.salt IS NOT OLD.salt
	OR NEW.created_by IS NOT OLD.created_by
	OR NEW.created_at IS NOT OLD.created_at
	OR (OLD.notice_published_at IS NOT NULL AND (NEW.notice_published_at IS NOT OLD.notice_published_at
		OR NEW.notice_published_by IS NOT OLD.notice_published_by
		OR NEW.periods_json IS NOT OLD.periods_json))
	OR (OLD.opened_at IS NOT NULL AND (NEW.opened_at IS NOT OLD.opened_at OR NEW.opened_by IS NOT OLD.opened_by))
	OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at
		OR NEW.closed_by IS NOT OLD.closed_by
		OR NEW.export_json IS NOT OLD.export_json
		OR NEW.close_delay_reason IS NOT OLD.close_delay_reason))
BEGIN
	SELECT RAISE(ABORT, 'ballots: what decides the count is fixed at creation; notice, opening and closing are stamped once');
END;
--> statement-breakpoint
CREATE TRIGGER ballots_never_deleted BEFORE DELETE ON ballots
BEGIN
	SELECT RAISE(ABORT, 'ballots: append-only, a row is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER counted_votes_points_forward BEFORE UPDATE ON counted_votes
WHEN NEW.ballot_id IS NOT OLD.ballot_id
	OR NEW.motion_id IS NOT OLD.motion_id
	OR NEW.unit_id IS NOT OLD.unit_id
	OR NEW.channel IS NOT OLD.channel
	OR NEW.compound_id IS NOT OLD.compound_id
	OR NEW.seq <= OLD.seq
BEGIN
	SELECT RAISE(ABORT, 'counted_votes: a counted ballot only moves on to a newer cast row of the same unit, motion and channel');
END;
--> statement-breakpoint
CREATE TRIGGER electorate_voters_fixed BEFORE UPDATE ON electorate_voters
WHEN NEW.ballot_id IS NOT OLD.ballot_id
	OR NEW.unit_id IS NOT OLD.unit_id
	OR NEW.user_id IS NOT OLD.user_id
BEGIN
	SELECT RAISE(ABORT, 'electorate_voters: which account votes for which unit is never rewritten');
END;
--> statement-breakpoint
CREATE TRIGGER electorate_voters_never_deleted BEFORE DELETE ON electorate_voters
BEGIN
	SELECT RAISE(ABORT, 'electorate_voters: append-only, a row is never deleted');
END;
