CREATE TABLE `version_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`version_normalized` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`flagged_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `version_flags_package_version` ON `version_flags` (`package_id`,`version_normalized`);--> statement-breakpoint
ALTER TABLE `groups` ADD `hide_sources` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `hide_dev_versions` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `minimum_stability` text;