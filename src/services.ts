// Everything a handler needs, built once per app from its ports. Handlers reach it through
// `c.get("services")`; nothing reads bindings or process.env past the entry points.
import { JwtKeys } from "./auth/jwt.ts";
import { LastUsedTracker } from "./auth/last-used.ts";
import { TokenCache } from "./auth/token-cache.ts";
import type { AppConfig, ProxyConfig } from "./config.ts";
import { MetadataStore } from "./composer/metadata-store.ts";
import { DownloadCounter } from "./composer/download-counter.ts";
import { RateLimiter } from "./http/rate-limit.ts";
import { PackageCatalog } from "./packages/catalog.ts";
import type { AppPorts, BlobStore, Database, Logger } from "./ports.ts";
import { consoleLogger } from "./http/logger.ts";
import { TtlCache } from "./cache/lru.ts";
import { HookRuntime } from "./webhooks/outgoing/hook-runtime.ts";
import { UpstreamAdvisories } from "./advisories/upstream-advisories.ts";
import { MirrorStore } from "./proxy/mirror-store.ts";
import { Proxy } from "./proxy/proxy.ts";
import { proxyConfigOf } from "./proxy/proxy-config.ts";
import { ProxyStats } from "./proxy/proxy-stats.ts";
import { UpstreamClient } from "./proxy/upstream-client.ts";
import { UpstreamRegistry } from "./proxy/upstream-registry.ts";
import { UpstreamRoots } from "./proxy/upstream-roots.ts";

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
  /** Failed credential checks per client IP. */
  authFailures: RateLimiter;
  /** Password attempts per IP + username. */
  loginFailures: RateLimiter;
  catalog: PackageCatalog;
  metadata: MetadataStore;
  downloads: DownloadCounter;
  /** Per-user packages.json bodies, keyed by user, ACL clock, catalog clock and base. */
  rootDocuments: TtlCache<string>;
  /** Upstream repositories: the lazy mirror of p2 documents and dists (src/proxy/). */
  proxy: Proxy;
  proxyConfig: ProxyConfig;
  upstreamClient: UpstreamClient;
  upstreamRoots: UpstreamRoots;
  proxyStats: ProxyStats;
  upstreamAdvisories: UpstreamAdvisories;
  /** Outgoing webhooks: the runtime's fetch and resolver, and the outbox's wake-up. */
  hooks: HookRuntime;
  /** Forgets everything remembered about who may see what (after user/group changes). */
  forgetAccess(userId?: number): void;
  /** Forgets every TTL-bounded copy of DB state: another process of this server wrote. */
  forgetCached(): void;
}

export function createServices(ports: AppPorts): Services {
  const { config } = ports;
  const tokenCache = new TokenCache(config.cacheTtlMs);
  const rootDocuments = new TtlCache<string>(config.cacheTtlMs, 10_000);
  const proxyConfig = proxyConfigOf(config);
  const proxyStats = new ProxyStats(config.statsFlushMs);
  const upstreamClient = new UpstreamClient(ports.fetch ?? ((input, init) => fetch(input, init)), ports.resolveHost, proxyConfig);
  upstreamClient.onRequest = (id) => proxyStats.request(id);
  const upstreamRoots = new UpstreamRoots(upstreamClient, proxyConfig);
  const mirror = new MirrorStore({ db: ports.db, blobs: ports.blobs, client: upstreamClient, roots: upstreamRoots, stats: proxyStats, config: proxyConfig, rowTtlMs: config.cacheTtlMs });
  const now = ports.now ?? Date.now;
  const catalog = new PackageCatalog(ports.db, config.cacheTtlMs);
  const proxy = new Proxy(new UpstreamRegistry(ports.db, config.encryptionKey, config.cacheTtlMs), mirror, ports.db, config.cacheTtlMs);
  const forgetAccess = (userId?: number) => {
    if (userId === undefined) tokenCache.clear();
    else tokenCache.evictUser(userId);
    rootDocuments.clear();
  };
  return {
    db: ports.db,
    blobs: ports.blobs,
    config,
    log: ports.log ?? consoleLogger,
    now,
    clientAddress: ports.clientAddress,
    jwt: new JwtKeys(config.jwtSecret),
    tokenCache,
    lastUsed: new LastUsedTracker(config.statsFlushMs),
    authFailures: new RateLimiter(30, 60_000),
    loginFailures: new RateLimiter(10, 5 * 60_000),
    catalog,
    metadata: new MetadataStore(ports.blobs),
    downloads: new DownloadCounter(config.statsFlushMs),
    rootDocuments,
    proxy,
    proxyConfig,
    upstreamClient,
    upstreamRoots,
    proxyStats,
    upstreamAdvisories: new UpstreamAdvisories({ client: upstreamClient, roots: upstreamRoots, blobs: ports.blobs, ttlMs: proxyConfig.ttlMs, timeoutMs: proxyConfig.timeoutMs }),
    hooks: new HookRuntime(ports),
    forgetAccess,
    forgetCached() {
      forgetAccess();
      catalog.invalidate();
      proxy.invalidate();
    },
  };
}
