// What an upstream's packages.json says about where things are: the p2 URL template
// (`metadata-url`) or a Composer 1 layout (composer1-root.ts), and the security advisories API.
// Read once per proxy TTL; when the root cannot be read, what was known is kept (at first, the
// conventional `/p2/%package%.json`) so a known document can still be revalidated.
import type { ProxyConfig } from "../config.ts";
import { parseComposer1Root, type Composer1Root } from "./composer1-root.ts";
import type { UpstreamClient } from "./upstream-client.ts";
import type { Upstream } from "./upstream-registry.ts";

interface Root {
  metadataUrl: string;
  advisoriesUrl: string | null;
  /** The Composer 1 layout, for a root without `metadata-url` that has one. */
  composer1: Composer1Root | null;
  until: number;
}

const ROOT_MAX_BYTES = 4 * 1024 * 1024;

export class UpstreamRoots {
  readonly #client: UpstreamClient;
  readonly #config: ProxyConfig;
  readonly #roots = new Map<string, Root>();
  readonly #inflight = new Map<string, Promise<Root>>();

  constructor(client: UpstreamClient, config: ProxyConfig) {
    this.#client = client;
    this.#config = config;
  }

  async metadataUrl(upstream: Upstream, now: number): Promise<string> {
    return (await this.#root(upstream, now)).metadataUrl;
  }

  /** How to read packages from a Composer 1 style upstream, or null for a Composer 2 one. */
  async composer1(upstream: Upstream, now: number): Promise<Composer1Root | null> {
    return (await this.#root(upstream, now)).composer1;
  }

  async advisoriesUrl(upstream: Upstream, now: number): Promise<string | null> {
    return (await this.#root(upstream, now)).advisoriesUrl;
  }

  forget(): void {
    this.#roots.clear();
  }

  #root(upstream: Upstream, now: number): Promise<Root> {
    const key = `${upstream.id}\n${upstream.url}`;
    const cached = this.#roots.get(key);
    if (cached && cached.until > now) return Promise.resolve(cached);
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#load(upstream, now, cached).then((root) => {
        this.#roots.set(key, root);
        return root;
      }).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  async #load(upstream: Upstream, now: number, previous: Root | undefined): Promise<Root> {
    const conventional = { metadataUrl: `${upstream.url}/p2/%package%.json`, advisoriesUrl: null, composer1: null };
    const fetched = await this.#client.fetchBuffered(upstream, `${upstream.url}/packages.json`, { timeoutMs: this.#config.timeoutMs, maxBytes: ROOT_MAX_BYTES }, now);
    if (!fetched.ok || fetched.status !== 200) {
      // Keep what we knew; try again after the retry delay rather than on every request.
      return { ...(previous ?? conventional), until: now + Math.max(1000, this.#config.retryAfterMs) };
    }
    let data: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(fetched.body));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
    } catch {
      // A root that is not JSON leaves the conventions in place.
    }
    const template = typeof data["metadata-url"] === "string" ? absolute(data["metadata-url"], upstream.url) : null;
    const advisories = data["security-advisories"];
    const apiUrl = advisories && typeof advisories === "object" ? (advisories as Record<string, unknown>)["api-url"] : undefined;
    return {
      metadataUrl: template?.includes("%package%") ? template : conventional.metadataUrl,
      advisoriesUrl: typeof apiUrl === "string" ? absolute(apiUrl, upstream.url) : null,
      composer1: template ? null : parseComposer1Root(data, `${upstream.url}/packages.json`),
      until: now + this.#config.ttlMs,
    };
  }
}

function absolute(url: string, base: string): string | null {
  try {
    return new URL(url, `${base}/`).href.replaceAll("%25package%25", "%package%");
  } catch {
    return null;
  }
}
