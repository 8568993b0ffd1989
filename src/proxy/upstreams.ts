// Everything the rest of the app uses about upstream repositories, behind one name on Services:
// the lazy mirror (proxy), its settings, the HTTP client and the upstreams' roots, the counters
// and the advisories. Built once per app from its ports.
import type { AppConfig, ProxyConfig } from "../config.ts";
import { UpstreamAdvisories } from "../advisories/upstream-advisories.ts";
import type { AppPorts } from "../ports.ts";
import { MirrorStore } from "./mirror-store.ts";
import { proxyConfigOf } from "./proxy-config.ts";
import { ProxyStats } from "./proxy-stats.ts";
import { UpstreamClient } from "./upstream-client.ts";
import { UpstreamProxy } from "./upstream-proxy.ts";
import { UpstreamRegistry } from "./upstream-registry.ts";
import { UpstreamRoots } from "./upstream-roots.ts";

export interface Upstreams {
  proxy: UpstreamProxy;
  config: ProxyConfig;
  client: UpstreamClient;
  roots: UpstreamRoots;
  stats: ProxyStats;
  advisories: UpstreamAdvisories;
  /** Forgets what this process remembered about upstreams (after an admin changed them). */
  forget(upstreamId?: number): void;
}

export function createUpstreams(ports: Pick<AppPorts, "db" | "blobs" | "fetch" | "resolveHost">, config: AppConfig): Upstreams {
  const proxyConfig = proxyConfigOf(config);
  const stats = new ProxyStats(config.statsFlushMs);
  const client = new UpstreamClient(ports.fetch ?? ((input, init) => fetch(input, init)), ports.resolveHost, proxyConfig);
  client.onRequest = (id) => stats.request(id);
  const roots = new UpstreamRoots(client, proxyConfig);
  const mirror = new MirrorStore({ db: ports.db, blobs: ports.blobs, client, roots, stats, config: proxyConfig, rowTtlMs: config.cacheTtlMs });
  const proxy = new UpstreamProxy(new UpstreamRegistry(ports.db, config, config.cacheTtlMs), mirror, ports.db, config.cacheTtlMs);
  return {
    proxy,
    config: proxyConfig,
    client,
    roots,
    stats,
    advisories: new UpstreamAdvisories({ client, roots, blobs: ports.blobs, ttlMs: proxyConfig.ttlMs, timeoutMs: proxyConfig.timeoutMs }),
    forget(upstreamId) {
      proxy.invalidate();
      roots.forget();
      client.reset(upstreamId);
    },
  };
}
