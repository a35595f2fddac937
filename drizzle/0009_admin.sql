CREATE TABLE `setup_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text
);
--> statement-breakpoint
ALTER TABLE `org_nodes` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `role_grants` ADD `valid_from` integer;--> statement-breakpoint
ALTER TABLE `role_grants` ADD `valid_until` integer;