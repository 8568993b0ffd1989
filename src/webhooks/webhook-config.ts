// Defaults of the webhook settings, for apps built without readConfig (tests).
import type { AppConfig, WebhookConfig } from "../config.ts";

export function webhookConfig(config: AppConfig): WebhookConfig {
  return { allowHosts: [], timeoutMs: 10_000, maxBodyBytes: 5 * 1024 * 1024, ...config.webhooks };
}
