CREATE TABLE `integration_etags` (
	`integration_id` integer NOT NULL,
	`url` text NOT NULL,
	`etag` text NOT NULL,
	`body` text NOT NULL,
	`next` text,
	PRIMARY KEY(`integration_id`, `url`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `integration_repositories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`integration_id` integer NOT NULL,
	`provider_id` text NOT NULL,
	`full_name` text NOT NULL,
	`clone_url` text NOT NULL,
	`default_branch` text NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`has_composer` integer,
	`seen_run` integer NOT NULL,
	`package_repository` text,
	`hook_id` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_repositories_provider_id` ON `integration_repositories` (`integration_id`,`provider_id`);--> statement-breakpoint
CREATE TABLE `integration_teams` (
	`integration_id` integer NOT NULL,
	`team` text NOT NULL,
	`group_id` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `team`, `group_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`api_url` text NOT NULL,
	`organization` text NOT NULL,
	`credentials_id` integer,
	`app_id` text,
	`installation_id` text,
	`app_key_enc` text,
	`app_token_expires_at` integer,
	`hook_secret_enc` text NOT NULL,
	`hook_id` text,
	`webhooks` integer DEFAULT true NOT NULL,
	`auto_sync` integer DEFAULT false NOT NULL,
	`team_sync` integer DEFAULT false NOT NULL,
	`sync_cursor` text,
	`sync_run` integer DEFAULT 0 NOT NULL,
	`sync_resume_at` integer,
	`sync_state` text DEFAULT 'idle' NOT NULL,
	`sync_error` text,
	`synced_at` integer,
	`teams_synced_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`credentials_id`) REFERENCES `credentials`(`id`) ON UPDATE no action ON DELETE set null
);
