// Configuration is read once, by the entry points, from the shell environment (Node) or the
// Worker's vars and secrets; the app itself never touches process.env or bindings.

export interface AppConfig {
  /** Base URL written into metadata; unset: derived from each request. No trailing slash. */
  publicUrl?: string;
  /** Where this process listens (for the console's setup link), e.g. http://127.0.0.1:8080. */
  listenUrl?: string;
  adminUser?: string;
  adminPassword?: string;
  adminEmail?: string;
  jwtSecret: string;
  encryptionKey: string;
  workerToken: string;
  allowLocalRepos: boolean;
  maxUploadBytes: number;
  /** Upper bound of what an uploaded archive may expand to. */
  maxUnpackedBytes: number;
  defaultUpstream: string | null;
  /** How long a verified token, a package pointer or a user's ACL may be served from memory. */
  cacheTtlMs: number;
  /** Download counters are buffered in memory and written at most this often. */
  statsFlushMs: number;
}

export type EnvVars = Record<string, string | undefined>;

const MB = 1024 * 1024;

export function readConfig(env: EnvVars, secrets: { jwtSecret: string; encryptionKey: string; workerToken: string }): AppConfig {
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl && !/^https?:\/\/[^/]+/i.test(publicUrl)) throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got "${publicUrl}"`);
  const upstream = env.SATCHEL_DEFAULT_UPSTREAM?.trim() || "https://repo.packagist.org";
  return {
    publicUrl: publicUrl ? publicUrl.replace(/\/+$/, "") : undefined,
    listenUrl: env.SATCHEL_LISTEN_URL || `http://${env.HOST || "127.0.0.1"}:${env.PORT || "8080"}`,
    adminUser: env.ADMIN_USER?.trim() || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    adminEmail: env.ADMIN_EMAIL?.trim() || undefined,
    ...secrets,
    allowLocalRepos: env.SATCHEL_ALLOW_LOCAL_REPOS === "1",
    maxUploadBytes: positiveNumber(env.SATCHEL_MAX_UPLOAD_MB, 50) * MB,
    maxUnpackedBytes: positiveNumber(env.SATCHEL_MAX_UNPACKED_MB, 200) * MB,
    defaultUpstream: upstream === "none" ? null : upstream,
    cacheTtlMs: positiveNumber(env.SATCHEL_CACHE_TTL_MS, 3000),
    statsFlushMs: positiveNumber(env.SATCHEL_STATS_FLUSH_MS, 5000, true),
  };
}

function positiveNumber(raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`expected a positive number, got "${raw}"`);
  return value;
}
