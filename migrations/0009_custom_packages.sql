CREATE TABLE `custom_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`version_normalized` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_versions_package_version` ON `custom_versions` (`package_id`,`version_normalized`);--> statement-breakpoint
CREATE TABLE `version_patches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`version_normalized` text NOT NULL,
	`patch` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `version_patches_package_version` ON `version_patches` (`package_id`,`version_normalized`);--> statement-breakpoint
ALTER TABLE `packages` ADD `archived` integer DEFAULT false NOT NULL;