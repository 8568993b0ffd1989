CREATE TABLE `attempt_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`reset_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tokens` ADD `kind` text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE `tokens` ADD `parent_id` integer;--> statement-breakpoint
CREATE INDEX `tokens_parent` ON `tokens` (`parent_id`);--> statement-breakpoint
UPDATE `tokens` SET `kind` = 'session' WHERE `name` = 'browser session';
