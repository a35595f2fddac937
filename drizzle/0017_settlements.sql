CREATE TABLE `choice_settlements` (
	`id` text PRIMARY KEY NOT NULL,
	`ballot_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`motion_id` text NOT NULL,
	`case_key` text NOT NULL,
	`units` text NOT NULL,
	`choice` text NOT NULL,
	`basis` text NOT NULL,
	`note` text NOT NULL,
	`proposed_by` text NOT NULL,
	`proposed_at` integer NOT NULL,
	`confirmed_by` text,
	`confirmed_at` integer,
	`withdrawn_at` integer
);
--> statement-breakpoint
CREATE INDEX `choice_settlements_ballot` ON `choice_settlements` (`ballot_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `choice_settlements_live` ON `choice_settlements` (`ballot_id`,`case_key`) WHERE withdrawn_at IS NULL;--> statement-breakpoint
-- A settlement is appended, never deleted; its content never changes. Only a pending row is stamped,
-- once: confirmed (by another member) or withdrawn.
CREATE TRIGGER choice_settlements_never_deleted BEFORE DELETE ON choice_settlements
BEGIN
	SELECT RAISE(ABORT, 'choice_settlements: settlements are appended, never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER choice_settlements_content_fixed BEFORE UPDATE ON choice_settlements
WHEN OLD.confirmed_at IS NOT NULL OR OLD.withdrawn_at IS NOT NULL
	OR NEW.id IS NOT OLD.id OR NEW.ballot_id IS NOT OLD.ballot_id OR NEW.compound_id IS NOT OLD.compound_id
	OR NEW.motion_id IS NOT OLD.motion_id OR NEW.case_key IS NOT OLD.case_key OR NEW.units IS NOT OLD.units
	OR NEW.choice IS NOT OLD.choice OR NEW.basis IS NOT OLD.basis OR NEW.note IS NOT OLD.note
	OR NEW.proposed_by IS NOT OLD.proposed_by OR NEW.proposed_at IS NOT OLD.proposed_at
BEGIN
	SELECT RAISE(ABORT, 'choice_settlements: a settlement is stamped once, never changed');
END;
