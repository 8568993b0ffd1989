// Defaults of the webhook and scheduler settings, for apps built without readConfig (tests).
import type { AppConfig, ScheduleConfig, WebhookConfig } from "../config.ts";

export function webhookConfig(config: AppConfig): WebhookConfig {
  return { allowHosts: [], timeoutMs: 10_000, maxBodyBytes: 5 * 1024 * 1024, ...config.webhooks };
}

export function scheduleConfig(config: AppConfig): ScheduleConfig {
  return { recrawlIntervalMs: 24 * 60 * 60_000, retentionMs: 30 * 86_400_000, gcGraceMs: 60 * 60_000, devZipballMs: 30 * 86_400_000, ...config.schedule };
}
