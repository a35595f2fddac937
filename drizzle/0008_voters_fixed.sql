CREATE TABLE `electorate_voters` (
	`ballot_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`user_id` text NOT NULL,
	`basis` text NOT NULL,
	`added_at` integer NOT NULL,
	`ended_at` integer,
	`ended_by_change` text,
	PRIMARY KEY(`ballot_id`, `unit_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `electorate_voters_user` ON `electorate_voters` (`user_id`,`ballot_id`);--> statement-breakpoint
CREATE TABLE `owner_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`ballot_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`new_user_id` text NOT NULL,
	`reason` text NOT NULL,
	`proposed_by` text NOT NULL,
	`proposed_at` integer NOT NULL,
	`confirmed_by` text,
	`confirmed_at` integer,
	`confirmed_after_seq` integer,
	`withdrawn_at` integer
);
--> statement-breakpoint
CREATE INDEX `owner_changes_ballot` ON `owner_changes` (`ballot_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `owner_changes_pending` ON `owner_changes` (`ballot_id`,`unit_id`) WHERE confirmed_at IS NULL AND withdrawn_at IS NULL;--> statement-breakpoint
ALTER TABLE `verification_codes` ADD `reissue_reason` text;