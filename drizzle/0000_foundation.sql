CREATE TABLE `org_nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`settings` text DEFAULT '{}' NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `org_nodes_parent` ON `org_nodes` (`parent_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `org_nodes_parent_name` ON `org_nodes` (`parent_id`,`name`);--> statement-breakpoint
CREATE TABLE `roster_entries` (
	`version_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`area_hundredths` integer NOT NULL,
	`area_source` text NOT NULL,
	`status` text NOT NULL,
	`owners` text NOT NULL,
	`owner_key` text NOT NULL,
	`source_row` integer,
	PRIMARY KEY(`version_id`, `unit_id`)
);
--> statement-breakpoint
CREATE INDEX `roster_entries_unit` ON `roster_entries` (`unit_id`);--> statement-breakpoint
CREATE TABLE `roster_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`compound_id` text NOT NULL,
	`version_no` integer NOT NULL,
	`file_name` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`unit_count` integer NOT NULL,
	`total_area_hundredths` integer NOT NULL,
	`diff_summary` text NOT NULL,
	`diff` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roster_versions_compound_no` ON `roster_versions` (`compound_id`,`version_no`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` text PRIMARY KEY NOT NULL,
	`compound_id` text NOT NULL,
	`building_id` text NOT NULL,
	`room` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_building_room` ON `units` (`building_id`,`room`);--> statement-breakpoint
CREATE INDEX `units_compound` ON `units` (`compound_id`);--> statement-breakpoint
CREATE TABLE `role_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`scope_id` text,
	`granted_by` text,
	`granted_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `role_grants_user` ON `role_grants` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `role_grants_active` ON `role_grants` (`user_id`,`role`,`scope_id`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`absolute_expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`login` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_login_unique` ON `users` (`login`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`relation` text NOT NULL,
	`code_id` text,
	`verified_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `memberships_unit` ON `memberships` (`unit_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_active` ON `memberships` (`user_id`,`unit_id`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE TABLE `verification_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`unit_id` text NOT NULL,
	`kind` text NOT NULL,
	`code_hash` text NOT NULL,
	`issued_by` text NOT NULL,
	`issued_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verification_codes_code_hash_unique` ON `verification_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `verification_codes_unit` ON `verification_codes` (`unit_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject_type`,`subject_id`);