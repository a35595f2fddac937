CREATE TABLE `draft_alternatives` (
	`id` text PRIMARY KEY NOT NULL,
	`set_id` text NOT NULL,
	`label` text NOT NULL,
	`title` text NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `draft_alternatives_set_label` ON `draft_alternatives` (`set_id`,`label`);--> statement-breakpoint
CREATE INDEX `draft_alternatives_set` ON `draft_alternatives` (`set_id`);--> statement-breakpoint
CREATE TABLE `draft_comment_resolutions` (
	`id` text PRIMARY KEY NOT NULL,
	`comment_id` text NOT NULL,
	`resolved_by` text NOT NULL,
	`note` text,
	`resolved_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `draft_comment_resolutions_comment` ON `draft_comment_resolutions` (`comment_id`);--> statement-breakpoint
CREATE TABLE `draft_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`alternative_id` text NOT NULL,
	`parent_id` text,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`anchor_start` text,
	`anchor_end` text,
	`quote` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `draft_comments_alt` ON `draft_comments` (`alternative_id`);--> statement-breakpoint
CREATE INDEX `draft_comments_parent` ON `draft_comments` (`parent_id`);--> statement-breakpoint
CREATE TABLE `draft_doc_snapshots` (
	`alternative_id` text PRIMARY KEY NOT NULL,
	`up_to_seq` integer NOT NULL,
	`state` blob NOT NULL,
	`byte_size` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `draft_doc_updates` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alternative_id` text NOT NULL,
	`update` blob NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `draft_doc_updates_alt_seq` ON `draft_doc_updates` (`alternative_id`,`seq`);--> statement-breakpoint
CREATE TABLE `draft_frozen_texts` (
	`id` text PRIMARY KEY NOT NULL,
	`set_id` text NOT NULL,
	`alternative_id` text NOT NULL,
	`label` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`text_hash` text NOT NULL,
	`html_hash` text NOT NULL,
	`canonical_form` text NOT NULL,
	`state` blob NOT NULL,
	`frozen_by` text NOT NULL,
	`frozen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `draft_frozen_texts_alt` ON `draft_frozen_texts` (`alternative_id`);--> statement-breakpoint
CREATE INDEX `draft_frozen_texts_set` ON `draft_frozen_texts` (`set_id`);--> statement-breakpoint
CREATE TABLE `draft_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`compound_ids` text NOT NULL,
	`session_id` text,
	`phase` text DEFAULT 'drafting' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`frozen_at` integer,
	`frozen_by` text
);
--> statement-breakpoint
CREATE INDEX `draft_sets_session` ON `draft_sets` (`session_id`);--> statement-breakpoint
CREATE TABLE `draft_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`alternative_id` text NOT NULL,
	`number` integer NOT NULL,
	`name` text NOT NULL,
	`state` blob NOT NULL,
	`restored_from` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `draft_versions_alt_number` ON `draft_versions` (`alternative_id`,`number`);