CREATE TABLE `count_signatures` (
	`ballot_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`role` text NOT NULL,
	`signed_by` text NOT NULL,
	`signed_at` integer NOT NULL,
	`unit_votes` text DEFAULT 'none' NOT NULL,
	PRIMARY KEY(`ballot_id`, `compound_id`, `role`)
);
--> statement-breakpoint
CREATE TABLE `followup_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`update_id` text NOT NULL,
	`task_id` text NOT NULL,
	`mime` text NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `followup_photos_update` ON `followup_photos` (`update_id`);--> statement-breakpoint
CREATE TABLE `followup_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`title` text NOT NULL,
	`organisation` text NOT NULL,
	`due_date` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `followup_tasks_item` ON `followup_tasks` (`item_id`);--> statement-breakpoint
CREATE TABLE `followup_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`item_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text NOT NULL,
	`by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `followup_updates_task` ON `followup_updates` (`task_id`,`at`);--> statement-breakpoint
CREATE TABLE `item_closures` (
	`item_id` text PRIMARY KEY NOT NULL,
	`closed_by` text NOT NULL,
	`closed_at` integer NOT NULL,
	`note` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outcome_ratings` (
	`item_id` text NOT NULL,
	`user_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`rating` text NOT NULL,
	`comment` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `outcome_record_places` (
	`item_id` text NOT NULL,
	`node_id` text NOT NULL,
	`kind` text NOT NULL,
	PRIMARY KEY(`item_id`, `node_id`)
);
--> statement-breakpoint
CREATE INDEX `outcome_record_places_node` ON `outcome_record_places` (`node_id`);--> statement-breakpoint
CREATE TABLE `outcome_records` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`item_id` text NOT NULL,
	`version_no` integer NOT NULL,
	`stage` text NOT NULL,
	`supersedes_id` text,
	`ballot_id` text NOT NULL,
	`title` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text NOT NULL,
	`dispute_ends_at` integer,
	`year` integer NOT NULL,
	`document` text NOT NULL,
	`hash` text NOT NULL,
	`prev_hash` text,
	`vote_export` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_records_seq` ON `outcome_records` (`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_records_item_version` ON `outcome_records` (`item_id`,`version_no`);--> statement-breakpoint
CREATE INDEX `outcome_records_ballot` ON `outcome_records` (`ballot_id`);--> statement-breakpoint
CREATE TABLE `record_objection_answers` (
	`objection_id` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`answered_by` text NOT NULL,
	`answered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `record_objections` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`record_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`relation` text NOT NULL,
	`filed_by` text NOT NULL,
	`body` text NOT NULL,
	`filed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `record_objections_item` ON `record_objections` (`item_id`);