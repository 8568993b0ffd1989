CREATE TABLE `upstream_version_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_name` text NOT NULL,
	`version_normalized` text NOT NULL,
	`version` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`flagged_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `upstream_version_flags_name_version` ON `upstream_version_flags` (`package_name`,`version_normalized`);