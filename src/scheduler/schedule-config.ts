// Defaults of the scheduler settings, for apps built without readConfig (tests).
import type { AppConfig, ScheduleConfig } from "../config.ts";

export function scheduleConfig(config: AppConfig): ScheduleConfig {
  return { recrawlIntervalMs: 24 * 60 * 60_000, retentionMs: 30 * 86_400_000, gcGraceMs: 60 * 60_000, devZipballMs: 30 * 86_400_000, ...config.schedule };
}
