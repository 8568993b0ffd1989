// Configuration is read once, by the entry points, from the shell environment (Node) or the
// Worker's vars and secrets; the app itself never touches process.env or bindings.

export interface AppConfig {
  /** Base URL written into metadata; unset: derived from each request. No trailing slash. */
  publicUrl?: string;
  /** Where this process listens (for the console's setup link), e.g. http://127.0.0.1:8080. */
  listenUrl?: string;
  /** false in a cluster's server workers: the primary issued the one setup link, a second would replace it. */
  issuesSetupLink?: boolean;
  adminUser?: string;
  adminPassword?: string;
  adminEmail?: string;
  jwtSecret: string;
  /** Keys JWT_SECRET replaced (JWT_PREVIOUS_SECRETS): tokens they signed still verify. */
  jwtPreviousSecrets?: string[];
  encryptionKey: string;
  /** Keys ENCRYPTION_KEY replaced (ENCRYPTION_PREVIOUS_KEYS): they open what they sealed until re-encrypted. */
  encryptionPreviousKeys?: string[];
  workerToken: string;
  /** A token that may read /metrics and nothing else (SATCHEL_METRICS_TOKEN); admins' tokens may too. */
  metricsToken?: string;
  allowLocalRepos: boolean;
  /** SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS=1: an `http://` loopback OIDC issuer is trusted (tests, local trials). */
  allowInsecureOidcIssuers?: boolean;
  /** SATCHEL_PASSWORD_SIGN_IN=off: nobody signs in with a password (identity providers only). */
  passwordSignIn?: boolean;
  /** SATCHEL_OIDC_*: one sign-in provider created at the first start (as POST /api/identity-providers takes it). */
  identityProvider?: Record<string, unknown>;
  /** SATCHEL_LDAP_*: sign-in against the company directory (both runtimes), with its sign-up and group mapping. */
  /** SATCHEL_SMTP_URL (Node) or SATCHEL_MAIL_API_URL (+ _TOKEN) for any runtime; SATCHEL_MAIL_FROM. */
  mail?: { smtpUrl?: string; apiUrl?: string; apiToken?: string; from: string };
  ldap?: LdapSettings & { allowSignUp: boolean; requiredGroups: string[]; roleMappings: { group: string; role: string }[] };
  maxUploadBytes: number;
  /** Upper bound of what an uploaded archive may expand to. */
  maxUnpackedBytes: number;
  defaultUpstream: string | null;
  /** How long a verified token, a package pointer or a user's ACL may be served from memory. */
  cacheTtlMs: number;
  /** Download counters are buffered in memory and written at most this often. */
  statsFlushMs: number;
  /** How long a request for a zipball not built yet waits for the git worker (SATCHEL_ZIPBALL_WAIT_SECONDS, default 20 s). */
  zipballWaitMs?: number;
  /** Proxy tuning (SATCHEL_PROXY_*, SATCHEL_UPSTREAM_*); defaults in src/proxy/proxy-config.ts. */
  proxy?: Partial<ProxyConfig>;
  /** Incoming and outgoing webhooks (SATCHEL_WEBHOOK_*); defaults in src/webhooks/webhook-config.ts. */
  webhooks?: Partial<WebhookConfig>;
  /** Scheduled work (SATCHEL_RECRAWL_*, SATCHEL_RETENTION_DAYS); defaults in src/webhooks/webhook-config.ts. */
  schedule?: Partial<ScheduleConfig>;
}

export interface WebhookConfig {
  /** Hosts outgoing hooks may reach although they are private or loopback (besides the admin's list). */
  allowHosts: string[];
  /** The bound of one outgoing delivery attempt. */
  timeoutMs: number;
  /** The largest incoming hook body accepted. */
  maxBodyBytes: number;
}

export interface ScheduleConfig {
  /** VCS packages not read for this long are re-crawled, spread over time; 0 turns it off. */
  recrawlIntervalMs: number;
  /** Finished jobs, deliveries and hook receipts older than this are pruned. */
  retentionMs: number;
  /** Garbage collection: how long an unreferenced blob stays (requests in flight, cached pointers). */
  gcGraceMs: number;
  /** Archives of commits no version points at any more (old dev-branch heads) stay this long. */
  devZipballMs: number;
}

export interface ProxyConfig {
  /** A mirrored p2 document is served without asking the upstream for this long, then revalidated. */
  ttlMs: number;
  /** Upper bound of one upstream request (metadata); a request with a cached copy to fall back on waits less. */
  timeoutMs: number;
  /** How long to wait for an upstream to start answering (connect + first byte): no network fails fast. */
  connectTimeoutMs: number;
  /** After a network failure or a 5xx, the upstream is not asked again for this long (fail fast). */
  retryAfterMs: number;
  maxMetadataBytes: number;
  /** Dists larger than this are streamed through without being stored. */
  maxDistBytes: number;
}

import type { LdapSettings } from "./identity/ldap-directory.ts";

export type EnvVars = Record<string, string | undefined>;

/** How often the local modes run the scheduled work (Cloudflare: the cron in wrangler.toml). */
export function schedulerIntervalMs(env: EnvVars): number {
  const ms = Number(env.SATCHEL_SCHEDULER_INTERVAL_SECONDS || 60) * 1000;
  if (!Number.isFinite(ms) || ms < 1000) throw new Error("SATCHEL_SCHEDULER_INTERVAL_SECONDS must be at least 1");
  return ms;
}

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
    jwtPreviousSecrets: commaList(env.JWT_PREVIOUS_SECRETS),
    encryptionPreviousKeys: commaList(env.ENCRYPTION_PREVIOUS_KEYS),
    metricsToken: metricsToken(env.SATCHEL_METRICS_TOKEN),
    allowLocalRepos: env.SATCHEL_ALLOW_LOCAL_REPOS === "1",
    allowInsecureOidcIssuers: env.SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS === "1",
    passwordSignIn: env.SATCHEL_PASSWORD_SIGN_IN !== "off",
    identityProvider: identityProviderFromEnv(env),
    ldap: ldapFromEnv(env),
    mail: { smtpUrl: env.SATCHEL_SMTP_URL || undefined, apiUrl: env.SATCHEL_MAIL_API_URL || undefined, apiToken: env.SATCHEL_MAIL_API_TOKEN || undefined, from: env.SATCHEL_MAIL_FROM || "Satchel <satchel@localhost>" },
    maxUploadBytes: positiveNumber(env.SATCHEL_MAX_UPLOAD_MB, 50) * MB,
    maxUnpackedBytes: positiveNumber(env.SATCHEL_MAX_UNPACKED_MB, 200) * MB,
    defaultUpstream: upstream === "none" ? null : upstream,
    cacheTtlMs: positiveNumber(env.SATCHEL_CACHE_TTL_MS, 3000),
    statsFlushMs: positiveNumber(env.SATCHEL_STATS_FLUSH_MS, 5000, true),
    zipballWaitMs: positiveNumber(env.SATCHEL_ZIPBALL_WAIT_SECONDS, 20) * 1000,
    proxy: {
      ttlMs: positiveNumber(env.SATCHEL_PROXY_TTL_SECONDS, 300, true) * 1000,
      timeoutMs: positiveNumber(env.SATCHEL_UPSTREAM_TIMEOUT_MS, 8000),
      connectTimeoutMs: positiveNumber(env.SATCHEL_UPSTREAM_CONNECT_TIMEOUT_MS, 3000),
      retryAfterMs: positiveNumber(env.SATCHEL_UPSTREAM_RETRY_AFTER_SECONDS, 30, true) * 1000,
      maxMetadataBytes: positiveNumber(env.SATCHEL_UPSTREAM_MAX_METADATA_MB, 32) * MB,
      maxDistBytes: positiveNumber(env.SATCHEL_MIRROR_MAX_DIST_MB, 64) * MB,
    },
    webhooks: {
      allowHosts: (env.SATCHEL_WEBHOOK_ALLOW_HOSTS ?? "").split(",").map((host) => host.trim().toLowerCase()).filter(Boolean),
      timeoutMs: positiveNumber(env.SATCHEL_WEBHOOK_TIMEOUT_MS, 10_000),
      maxBodyBytes: positiveNumber(env.SATCHEL_WEBHOOK_MAX_BODY_KB, 5120) * 1024,
    },
    schedule: {
      recrawlIntervalMs: positiveNumber(env.SATCHEL_RECRAWL_INTERVAL_MINUTES, 1440, true) * 60_000,
      retentionMs: positiveNumber(env.SATCHEL_RETENTION_DAYS, 30) * 86_400_000,
      gcGraceMs: positiveNumber(env.SATCHEL_GC_GRACE_MINUTES, 60) * 60_000,
      devZipballMs: positiveNumber(env.SATCHEL_DEV_ZIPBALL_DAYS, 30, true) * 86_400_000,
    },
  };
}

function metricsToken(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.length < 16) throw new Error("SATCHEL_METRICS_TOKEN must be at least 16 characters");
  return raw;
}

/** A comma-separated list (keys hold no commas: generated ones are base64url). */
const commaList = (raw: string | undefined) => (raw ?? "").split(",").map((item) => item.trim()).filter(Boolean);

function ldapFromEnv(env: EnvVars): AppConfig["ldap"] {
  if (!env.SATCHEL_LDAP_URL) return undefined;
  return {
    url: env.SATCHEL_LDAP_URL,
    startTls: env.SATCHEL_LDAP_START_TLS === "1",
    caFile: env.SATCHEL_LDAP_CA_FILE || undefined,
    userDn: env.SATCHEL_LDAP_USER_DN || undefined,
    bindDn: env.SATCHEL_LDAP_BIND_DN || undefined,
    bindPassword: env.SATCHEL_LDAP_BIND_PASSWORD || undefined,
    userBase: env.SATCHEL_LDAP_USER_BASE || undefined,
    userAttribute: env.SATCHEL_LDAP_USER_ATTRIBUTE || "uid",
    groupBase: env.SATCHEL_LDAP_GROUP_BASE || undefined,
    timeoutMs: positiveNumber(env.SATCHEL_LDAP_TIMEOUT_MS, 5000),
    allowSignUp: env.SATCHEL_LDAP_ALLOW_SIGN_UP === "1",
    requiredGroups: commaList(env.SATCHEL_LDAP_REQUIRED_GROUPS),
    roleMappings: commaList(env.SATCHEL_LDAP_ROLE_MAPPINGS).map((pair) => ({ group: pair.split("=")[0]?.trim() ?? "", role: pair.split("=")[1]?.trim() ?? "" })),
  };
}

function identityProviderFromEnv(env: EnvVars): Record<string, unknown> | undefined {
  if (!env.SATCHEL_OIDC_ISSUER) return undefined;
  return {
    kind: env.SATCHEL_OIDC_KIND || "oidc",
    slug: env.SATCHEL_OIDC_SLUG || "sso",
    name: env.SATCHEL_OIDC_NAME || "Single sign-on",
    issuer: env.SATCHEL_OIDC_ISSUER,
    clientId: env.SATCHEL_OIDC_CLIENT_ID,
    clientSecret: env.SATCHEL_OIDC_CLIENT_SECRET,
    ...(env.SATCHEL_OIDC_SCOPES ? { scopes: env.SATCHEL_OIDC_SCOPES } : {}),
    allowSignUp: env.SATCHEL_OIDC_ALLOW_SIGN_UP === "1",
    allowedDomains: commaList(env.SATCHEL_OIDC_ALLOWED_DOMAINS),
    requiredGroups: commaList(env.SATCHEL_OIDC_REQUIRED_GROUPS),
    roleMappings: commaList(env.SATCHEL_OIDC_ROLE_MAPPINGS).map((pair) => ({ group: pair.split("=")[0]?.trim(), role: pair.split("=")[1]?.trim() })),
  };
}

function positiveNumber(raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`expected a positive number, got "${raw}"`);
  return value;
}
