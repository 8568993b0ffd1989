// Proxy tuning with its defaults, for apps built without the entry points' readConfig (tests).
import type { AppConfig, ProxyConfig } from "../config.ts";

const MB = 1024 * 1024;

export const PROXY_DEFAULTS: ProxyConfig = {
  ttlMs: 300_000,
  timeoutMs: 8000,
  connectTimeoutMs: 3000,
  retryAfterMs: 30_000,
  maxMetadataBytes: 32 * MB,
  maxDistBytes: 64 * MB,
};

export function proxyConfigOf(config: AppConfig): ProxyConfig {
  return { ...PROXY_DEFAULTS, ...config.proxy };
}
