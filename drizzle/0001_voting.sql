CREATE TABLE `ballot_compounds` (
	`ballot_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`position` integer NOT NULL,
	`non_voter_rule` text NOT NULL,
	`roster_version_id` text,
	PRIMARY KEY(`ballot_id`, `compound_id`)
);
--> statement-breakpoint
CREATE INDEX `ballot_compounds_compound` ON `ballot_compounds` (`compound_id`);--> statement-breakpoint
CREATE TABLE `ballot_motions` (
	`ballot_id` text NOT NULL,
	`motion_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`text` text,
	`text_hash` text,
	PRIMARY KEY(`ballot_id`, `motion_id`)
);
--> statement-breakpoint
CREATE TABLE `ballots` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`agenda_item_id` text,
	`rule_kind` text NOT NULL,
	`both_channels_rule` text NOT NULL,
	`counts_visibility` text NOT NULL,
	`allow_change` integer NOT NULL,
	`notice_days` integer NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`salt` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`notice_published_at` integer,
	`notice_published_by` text,
	`opened_at` integer,
	`opened_by` text,
	`closed_at` integer,
	`closed_by` text,
	`export_json` text
);
--> statement-breakpoint
CREATE INDEX `ballots_agenda_item` ON `ballots` (`agenda_item_id`);--> statement-breakpoint
CREATE TABLE `cast_votes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ballot_id` text NOT NULL,
	`motion_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`channel` text NOT NULL,
	`choice` text NOT NULL,
	`voter_user_id` text,
	`proxy_id` text,
	`source_id` text NOT NULL,
	`cast_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cast_votes_ballot_unit` ON `cast_votes` (`ballot_id`,`unit_id`);--> statement-breakpoint
CREATE TABLE `counted_votes` (
	`ballot_id` text NOT NULL,
	`motion_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`channel` text NOT NULL,
	`compound_id` text NOT NULL,
	`choice` text NOT NULL,
	`seq` integer NOT NULL,
	`via_proxy` integer NOT NULL,
	`counted_at` integer NOT NULL,
	PRIMARY KEY(`ballot_id`, `motion_id`, `unit_id`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `electorate_units` (
	`ballot_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`building_id` text NOT NULL,
	`building_name` text NOT NULL,
	`room` text NOT NULL,
	`area_hundredths` integer NOT NULL,
	`area_source` text NOT NULL,
	`status` text NOT NULL,
	`owner_key` text NOT NULL,
	PRIMARY KEY(`ballot_id`, `unit_id`)
);
--> statement-breakpoint
CREATE INDEX `electorate_units_building` ON `electorate_units` (`ballot_id`,`building_id`);--> statement-breakpoint
CREATE TABLE `electronic_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`ballot_id` text NOT NULL,
	`receipt` text NOT NULL,
	`voter_user_id` text NOT NULL,
	`proxy_id` text,
	`choices` text NOT NULL,
	`unit_ids` text NOT NULL,
	`cast_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `electronic_submissions_receipt` ON `electronic_submissions` (`receipt`);--> statement-breakpoint
CREATE INDEX `electronic_submissions_ballot_voter` ON `electronic_submissions` (`ballot_id`,`voter_user_id`);--> statement-breakpoint
CREATE TABLE `paper_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`ballot_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`entered_by` text NOT NULL,
	`choices` text NOT NULL,
	`entered_at` integer NOT NULL,
	`matched_entry_id` text,
	`confirmed_at` integer,
	`withdrawn_at` integer
);
--> statement-breakpoint
CREATE INDEX `paper_entries_ballot_unit` ON `paper_entries` (`ballot_id`,`unit_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `paper_entries_one_open_per_member` ON `paper_entries` (`ballot_id`,`unit_id`,`entered_by`) WHERE confirmed_at IS NULL AND withdrawn_at IS NULL;--> statement-breakpoint
CREATE TABLE `proxies` (
	`id` text PRIMARY KEY NOT NULL,
	`ballot_id` text NOT NULL,
	`unit_ids` text NOT NULL,
	`principal_name` text NOT NULL,
	`proxy_user_id` text NOT NULL,
	`instructions` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `proxies_ballot` ON `proxies` (`ballot_id`);--> statement-breakpoint
CREATE INDEX `proxies_proxy_user` ON `proxies` (`proxy_user_id`);