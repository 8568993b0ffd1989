CREATE TABLE `blob_gc_marks` (
	`key` text PRIMARY KEY NOT NULL,
	`marked_at` integer NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tokens` ADD `kid` text;