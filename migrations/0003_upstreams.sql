CREATE TABLE `mirror_dists` (
	`upstream_id` integer NOT NULL,
	`name` text NOT NULL,
	`reference` text NOT NULL,
	`size` integer NOT NULL,
	`sha1` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`upstream_id`, `name`, `reference`),
	FOREIGN KEY (`upstream_id`) REFERENCES `upstreams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mirror_documents` (
	`upstream_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`body_key` text,
	`dists_key` text,
	`size` integer DEFAULT 0 NOT NULL,
	`upstream_last_modified` text,
	`checked_at` integer NOT NULL,
	`changed_clock` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`upstream_id`, `name`, `kind`),
	FOREIGN KEY (`upstream_id`) REFERENCES `upstreams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mirror_documents_name` ON `mirror_documents` (`name`);--> statement-breakpoint
CREATE TABLE `proxy_access_groups` (
	`group_id` integer PRIMARY KEY NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `security_advisories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`advisory_id` text NOT NULL,
	`package_name` text NOT NULL,
	`title` text NOT NULL,
	`affected_versions` text NOT NULL,
	`cve` text,
	`link` text,
	`severity` text,
	`reported_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `security_advisories_advisory_id` ON `security_advisories` (`advisory_id`);--> statement-breakpoint
CREATE INDEX `security_advisories_package` ON `security_advisories` (`package_name`);--> statement-breakpoint
CREATE TABLE `upstream_approvals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`upstream_id` integer NOT NULL,
	`pattern` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`upstream_id`) REFERENCES `upstreams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `upstream_approvals_unique` ON `upstream_approvals` (`upstream_id`,`pattern`);--> statement-breakpoint
CREATE TABLE `upstreams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`username` text,
	`password_enc` text,
	`bearer_enc` text,
	`cache_dists` integer DEFAULT true NOT NULL,
	`strict` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`last_sync_at` integer,
	`last_error` text,
	`last_error_at` integer,
	`hits` integer DEFAULT 0 NOT NULL,
	`misses` integer DEFAULT 0 NOT NULL,
	`upstream_requests` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `upstreams_name_unique` ON `upstreams` (`name`);