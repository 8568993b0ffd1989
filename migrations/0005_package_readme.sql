ALTER TABLE `packages` ADD `readme` text;--> statement-breakpoint
ALTER TABLE `packages` ADD `updates_disabled` integer DEFAULT false NOT NULL;