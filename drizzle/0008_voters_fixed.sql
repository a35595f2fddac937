CREATE TABLE `electorate_voters` (
	`ballot_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`user_id` text NOT NULL,
	`basis` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`ballot_id`, `unit_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `electorate_voters_user` ON `electorate_voters` (`user_id`,`ballot_id`);--> statement-breakpoint
ALTER TABLE `verification_codes` ADD `reissue_reason` text;