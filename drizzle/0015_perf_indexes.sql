CREATE INDEX `cast_votes_ballot_seq` ON `cast_votes` (`ballot_id`,`seq`);--> statement-breakpoint
CREATE INDEX `counted_votes_ballot_unit` ON `counted_votes` (`ballot_id`,`unit_id`,`channel`);