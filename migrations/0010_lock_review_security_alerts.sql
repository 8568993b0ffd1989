CREATE TABLE `security_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repository_key` text NOT NULL,
	`repository_name` text NOT NULL,
	`package_id` integer,
	`locked_package` text NOT NULL,
	`version` text NOT NULL,
	`advisory_id` text NOT NULL,
	`title` text NOT NULL,
	`link` text,
	`cve` text,
	`severity` text,
	`affected_versions` text NOT NULL,
	`raised_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `security_alerts_one` ON `security_alerts` (`repository_key`,`locked_package`,`version`,`advisory_id`);--> statement-breakpoint
CREATE INDEX `security_alerts_open` ON `security_alerts` (`resolved_at`,`repository_key`);--> statement-breakpoint
ALTER TABLE `packages` ADD `review_lock_files` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `application` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `lock_checked_at` integer;