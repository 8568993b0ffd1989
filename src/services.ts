// Everything a handler needs, built once per app from its ports. Handlers reach it through
// `c.get("services")`; nothing reads bindings or process.env past the entry points.
import { JwtKeys } from "./auth/jwt.ts";
import { LastUsedTracker } from "./auth/last-used.ts";
import { TokenCache } from "./auth/token-cache.ts";
import type { AppConfig } from "./config.ts";
import { MetadataStore, type RenderedBody } from "./composer/metadata-store.ts";
import { rowPublishedTimes } from "./packages/published-times.ts";
import { DownloadCounter } from "./composer/download-counter.ts";
import { RateLimiter, REFUSAL_LIMIT, REFUSAL_WINDOW_MS } from "./http/rate-limit.ts";
import { PackageCatalog } from "./packages/catalog.ts";
import type { AppPorts, BlobStore, Database, Logger } from "./ports.ts";
import type { LdapDirectory } from "./identity/ldap-directory.ts";
import { httpMailer } from "./mail/http-mailer.ts";
import type { Mailer } from "./mail/mailer.ts";
import { consoleLogger } from "./http/logger.ts";
import { AnswerMemo } from "./cache/answer-memo.ts";
import { TtlCache } from "./cache/lru.ts";
import { HookRuntime } from "./webhooks/outgoing/hook-runtime.ts";
import { createUpstreams, type Upstreams } from "./proxy/upstreams.ts";
import { RequestMetrics } from "./metrics/request-metrics.ts";
import { WorkerPresence } from "./metrics/operational-stats-store.ts";
import { SubrepositoryRegistry } from "./subrepositories/subrepository-registry.ts";
import { PolicyCache } from "./policies/policy-cache.ts";
import { JobSignal } from "./jobs/job-signal.ts";
import { AdvisoryCache } from "./advisories/advisory-cache.ts";
import { ZipballMemo } from "./cache/zipball-memo.ts";

export interface Services {
  db: Database;
  blobs: BlobStore;
  config: AppConfig;
  log: Logger;
  now: () => number;
  clientAddress?: (runtimeEnv: unknown) => string | undefined;
  jwt: JwtKeys;
  tokenCache: TokenCache;
  lastUsed: LastUsedTracker;
  /** Failed credential checks per client IP (in memory: no DB write per request; passwords use auth/login-throttle.ts). */
  authFailures: RateLimiter;
  catalog: PackageCatalog;
  /** Sub-repositories by slug and hostname, remembered for the cache TTL. */
  subrepositories: SubrepositoryRegistry;
  metadata: MetadataStore;
  downloads: DownloadCounter;
  /** packages.json bodies with their Last-Modified clock, per user, ACL clock, catalog clock and base. */
  rootDocuments: TtlCache<{ body: RenderedBody; clock: number }>;
  /** Finished Composer answers, per exact request (src/http/remembered-fetch.ts). */
  answers: AnswerMemo;
  /** The plugin allowlist and minimum Composer version, remembered for the cache TTL (src/policies/). */
  policies: PolicyCache;
  /** Admin-recorded advisories per package name, remembered for the cache TTL (composer audit). */
  advisories: AdvisoryCache;
  /** Small archives kept after a download, served while their shasum is published (src/cache/zipball-memo.ts). */
  zipballs: ZipballMemo;
  /** Upstream repositories: the lazy mirror of p2 documents and dists, and what serves it (src/proxy/). */
  upstreams: Upstreams;
  /** Outgoing webhooks: the runtime's fetch and resolver, and the outbox's wake-up. */
  hooks: HookRuntime;
  /** Request counters and latency histograms (src/metrics/). */
  metrics: RequestMetrics;
  /** When a git worker last polled, written at most twice a minute. */
  workerPresence: WorkerPresence;
  /** Wakes the git workers' waiting claims when a job becomes claimable here (src/jobs/job-signal.ts). */
  jobSignal: JobSignal;
  /** Outgoing requests to identity providers (OIDC discovery, JWKS). */
  fetch: typeof fetch;
  /** LDAP sign-in, when the entry point gives a directory. */
  ldap?: LdapDirectory;
  /** Where the mail outbox sends (none: mail waits in the outbox, and admins see why). */
  mailer?: Mailer;
  /** Forgets everything remembered about who may see what (after user, group or sub-repository changes). */
  forgetAccess(userId?: number): void;
  /** Writes the statistics still buffered in memory (token last use, downloads, upstream counters): at shutdown. */
  flushPending(): Promise<void>;
  /** Forgets every TTL-bounded copy of DB state: another process of this server wrote. */
  forgetCached(): void;
}

export function createServices(ports: AppPorts): Services {
  const { config } = ports;
  const tokenCache = new TokenCache(config.cacheTtlMs);
  const rootDocuments = new TtlCache<{ body: RenderedBody; clock: number }>(config.cacheTtlMs, 10_000);
  // At most a second: what an answer was computed from is itself cached for up to the TTL.
  const answers = new AnswerMemo(Math.min(config.cacheTtlMs, 1000));
  const upstreams = createUpstreams(ports, config);
  const now = ports.now ?? Date.now;
  const lastUsed = new LastUsedTracker(config.statsFlushMs);
  const downloads = new DownloadCounter(config.statsFlushMs);
  const subrepositories = new SubrepositoryRegistry(ports.db, config.cacheTtlMs);
  const catalog = new PackageCatalog(ports.db, config.cacheTtlMs, () => answers.forget());
  const policies = new PolicyCache(ports.db, config.cacheTtlMs);
  const jobSignal = new JobSignal();
  const forgetAccess = (userId?: number) => {
    if (userId === undefined) tokenCache.clear();
    else tokenCache.evictUser(userId);
    rootDocuments.clear();
    subrepositories.invalidate();
    answers.forget();
  };
  return {
    db: ports.db,
    blobs: ports.blobs,
    config,
    log: ports.log ?? consoleLogger,
    now,
    clientAddress: ports.clientAddress,
    jwt: new JwtKeys(config.jwtSecret, config.jwtPreviousSecrets),
    tokenCache,
    lastUsed,
    authFailures: new RateLimiter(REFUSAL_LIMIT, REFUSAL_WINDOW_MS),
    catalog,
    subrepositories,
    metadata: new MetadataStore(ports.blobs, rowPublishedTimes(ports.db)),
    downloads,
    rootDocuments,
    answers,
    upstreams,
    policies,
    zipballs: new ZipballMemo(),
    advisories: new AdvisoryCache(ports.db, config.cacheTtlMs, () => answers.generation),
    hooks: new HookRuntime(ports),
    metrics: new RequestMetrics(),
    workerPresence: new WorkerPresence(),
    jobSignal,
    fetch: ports.fetch ?? ((input, init) => fetch(input, init)),
    ldap: ports.ldap,
    mailer: ports.mailer ?? (config.mail?.apiUrl ? httpMailer(ports.fetch ?? ((input, init) => fetch(input, init)), { url: config.mail.apiUrl, token: config.mail.apiToken, from: config.mail.from }) : undefined),
    forgetAccess,
    forgetCached() {
      forgetAccess();
      catalog.invalidate();
      policies.forget();
      upstreams.forget();
      // The sibling's write may have queued a job: claims waiting here look now.
      jobSignal.notify();
    },
    async flushPending() {
      for (const writer of [lastUsed, downloads, upstreams.stats]) await writer.flush(ports.db, now());
    },
  };
}
