ALTER TABLE `meetings` ADD `minutes_draft_set_id` text;--> statement-breakpoint
ALTER TABLE `minutes_approvals` ADD `text_hash` text;