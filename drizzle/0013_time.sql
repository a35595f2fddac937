CREATE TABLE `rest_day_years` (
	`id` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`source` text NOT NULL,
	`days` text NOT NULL,
	`version` text NOT NULL,
	`entered_by` text,
	`entered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rest_day_years_year` ON `rest_day_years` (`year`,`entered_at`);--> statement-breakpoint
ALTER TABLE `ballots` ADD `periods_json` text;--> statement-breakpoint
ALTER TABLE `ballots` ADD `close_delay_reason` text;--> statement-breakpoint
-- A calendar year is entered again, never edited: records name the version they were computed with.
CREATE TRIGGER rest_day_years_append_only BEFORE UPDATE ON rest_day_years
BEGIN
	SELECT RAISE(ABORT, 'rest_day_years: entries are appended, never changed');
END;
--> statement-breakpoint
CREATE TRIGGER rest_day_years_never_deleted BEFORE DELETE ON rest_day_years
BEGIN
	SELECT RAISE(ABORT, 'rest_day_years: entries are appended, never deleted');
END;
