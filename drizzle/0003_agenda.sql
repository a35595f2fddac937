CREATE TABLE `advisory_answers` (
	`poll_id` text NOT NULL,
	`user_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`option` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`poll_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `advisory_polls` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`question` text NOT NULL,
	`options` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE INDEX `advisory_polls_session` ON `advisory_polls` (`session_id`);--> statement-breakpoint
CREATE TABLE `agenda_item_impacts` (
	`item_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`costs` text NOT NULL,
	`benefits` text NOT NULL,
	PRIMARY KEY(`item_id`, `compound_id`)
);
--> statement-breakpoint
CREATE TABLE `agenda_items` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`question` text NOT NULL,
	`rule` text NOT NULL,
	`background` text DEFAULT '' NOT NULL,
	`concern_id` text,
	`max_turns` integer,
	`max_chars` integer,
	`speak_seconds` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agenda_items_position` ON `agenda_items` (`session_id`,`position`);--> statement-breakpoint
CREATE TABLE `agenda_signoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`convenor_node_id` text NOT NULL,
	`revision` integer NOT NULL,
	`user_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agenda_signoffs_once` ON `agenda_signoffs` (`session_id`,`convenor_node_id`,`revision`);--> statement-breakpoint
CREATE TABLE `concern_cosigns` (
	`concern_id` text NOT NULL,
	`user_id` text NOT NULL,
	`unit_id` text,
	`compound_id` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`concern_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `concern_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`concern_id` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` blob NOT NULL,
	`byte_size` integer NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `concern_photos_concern` ON `concern_photos` (`concern_id`);--> statement-breakpoint
CREATE TABLE `concern_triage` (
	`id` text PRIMARY KEY NOT NULL,
	`concern_id` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text NOT NULL,
	`level` text NOT NULL,
	`merged_into` text,
	`escalated_to` text,
	`actor_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `concern_triage_concern` ON `concern_triage` (`concern_id`);--> statement-breakpoint
CREATE TABLE `concerns` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`category` text NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`home_compound_id` text NOT NULL,
	`compound_ids` text NOT NULL,
	`threshold` text NOT NULL,
	`households` integer NOT NULL,
	`status` text NOT NULL,
	`raised_by` text NOT NULL,
	`raised_at` integer NOT NULL,
	`queued_at` integer,
	`escalated_to` text,
	`merged_into` text,
	`is_demo` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `concerns_status` ON `concerns` (`status`);--> statement-breakpoint
CREATE INDEX `concerns_home` ON `concerns` (`home_compound_id`);--> statement-breakpoint
CREATE TABLE `debate_posts` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`item_id` text NOT NULL,
	`parent_id` text,
	`author_id` text NOT NULL,
	`compound_id` text,
	`role_label` text,
	`stance` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `debate_posts_item` ON `debate_posts` (`item_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `debate_posts_author` ON `debate_posts` (`item_id`,`author_id`);--> statement-breakpoint
CREATE TABLE `delib_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`compound_ids` text NOT NULL,
	`concern_id` text,
	`facilitator_id` text,
	`phase` text NOT NULL,
	`agenda_revision` integer DEFAULT 0 NOT NULL,
	`agenda_published_at` integer,
	`agenda_published_by` text,
	`max_turns` integer NOT NULL,
	`max_chars` integer NOT NULL,
	`speak_seconds` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ground_statements` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`text` text NOT NULL,
	`author_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ground_statements_session` ON `ground_statements` (`session_id`);--> statement-breakpoint
CREATE TABLE `ground_votes` (
	`statement_id` text NOT NULL,
	`user_id` text NOT NULL,
	`compound_id` text NOT NULL,
	`choice` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`statement_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `meeting_attendance` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`name` text NOT NULL,
	`user_id` text,
	`compound_id` text,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `meeting_attendance_meeting` ON `meeting_attendance` (`meeting_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `meeting_attendance_user` ON `meeting_attendance` (`meeting_id`,`user_id`) WHERE user_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`title` text NOT NULL,
	`starts_at` integer NOT NULL,
	`place` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`current_item_id` text,
	`current_request_id` text,
	`timer_started_at` integer,
	`timer_seconds` integer
);
--> statement-breakpoint
CREATE INDEX `meetings_session` ON `meetings` (`session_id`);--> statement-breakpoint
CREATE TABLE `minutes_approvals` (
	`meeting_id` text PRIMARY KEY NOT NULL,
	`version_id` text NOT NULL,
	`approved_by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `minutes_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`author_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `minutes_versions_number` ON `minutes_versions` (`meeting_id`,`number`);--> statement-breakpoint
CREATE TABLE `moderation_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`post_id` text NOT NULL,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`actor_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `moderation_actions_session` ON `moderation_actions` (`session_id`,`at`);--> statement-breakpoint
CREATE INDEX `moderation_actions_post` ON `moderation_actions` (`post_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`href` text NOT NULL,
	`dedupe_key` text,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_dedupe` ON `notifications` (`user_id`,`dedupe_key`) WHERE dedupe_key IS NOT NULL;--> statement-breakpoint
CREATE TABLE `session_convenors` (
	`session_id` text NOT NULL,
	`node_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`session_id`, `node_id`)
);
--> statement-breakpoint
CREATE TABLE `session_departments` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`name` text NOT NULL,
	`invited_by` text NOT NULL,
	`invited_at` integer NOT NULL,
	`response` text,
	`responded_at` integer,
	`recorded_by` text
);
--> statement-breakpoint
CREATE INDEX `session_departments_session` ON `session_departments` (`session_id`);--> statement-breakpoint
CREATE TABLE `session_phase_log` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`phase` text NOT NULL,
	`actor_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_phase_log_session` ON `session_phase_log` (`session_id`);--> statement-breakpoint
CREATE TABLE `session_timetable` (
	`session_id` text NOT NULL,
	`phase` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	PRIMARY KEY(`session_id`, `phase`)
);
--> statement-breakpoint
CREATE TABLE `show_of_hands` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`item_id` text NOT NULL,
	`yes` integer NOT NULL,
	`no` integer NOT NULL,
	`abstain` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `show_of_hands_meeting` ON `show_of_hands` (`meeting_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `speaker_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`item_id` text NOT NULL,
	`speaker_key` text NOT NULL,
	`name` text NOT NULL,
	`compound_id` text,
	`stance` text NOT NULL,
	`requested_at` integer NOT NULL,
	`spoke_at` integer
);
--> statement-breakpoint
CREATE INDEX `speaker_requests_meeting` ON `speaker_requests` (`meeting_id`,`item_id`);