CREATE TABLE `subrepositories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`packages` text NOT NULL,
	`is_public` integer DEFAULT false NOT NULL,
	`hostname` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`changed_clock` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subrepositories_slug` ON `subrepositories` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `subrepositories_hostname` ON `subrepositories` (`hostname`);