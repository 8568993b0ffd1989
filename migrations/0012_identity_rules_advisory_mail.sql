ALTER TABLE `identity_providers` ADD `login_expression` text;--> statement-breakpoint
ALTER TABLE `security_advisories` ADD `notified_at` integer;--> statement-breakpoint
-- Advisories recorded before admins were mailed about them count as told: no burst of old news on upgrade.
UPDATE `security_advisories` SET `notified_at` = `created_at`;
