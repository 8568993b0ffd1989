// Advisories of mirrored packages, from each upstream's advisories API (the `api-url` its
// packages.json names, packagist.org's /api/security-advisories/). Remembered per name for the
// proxy TTL and kept in the blob store, so `composer audit` still answers when the upstream is
// down (with a warning).
import { mirrorAdvisoriesKey } from "../blobs/keys.ts";
import { TtlCache } from "../cache/lru.ts";
import type { BlobStore } from "../ports.ts";
import type { UpstreamClient } from "../proxy/upstream-client.ts";
import type { Upstream } from "../proxy/upstream-registry.ts";
import type { UpstreamRoots } from "../proxy/upstream-roots.ts";

export type RawAdvisory = Record<string, unknown>;

const CHUNK = 100;
const MAX_BYTES = 16 * 1024 * 1024;

export class UpstreamAdvisories {
  readonly #client: UpstreamClient;
  readonly #roots: UpstreamRoots;
  readonly #blobs: BlobStore;
  readonly #timeoutMs: number;
  readonly #cache: TtlCache<RawAdvisory[]>;
  /** Upstreams whose advisories API refused us (4xx, not JSON): not asked again for the TTL. */
  readonly #unusable: TtlCache<string>;

  constructor(deps: { client: UpstreamClient; roots: UpstreamRoots; blobs: BlobStore; ttlMs: number; timeoutMs: number }) {
    this.#client = deps.client;
    this.#roots = deps.roots;
    this.#blobs = deps.blobs;
    this.#timeoutMs = deps.timeoutMs;
    this.#cache = new TtlCache(Math.max(deps.ttlMs, 1), 50_000);
    this.#unusable = new TtlCache(Math.max(deps.ttlMs, 1000), 1000);
  }

  /** Advisories per name from one upstream; `warning` when a stored copy (or nothing) had to do. */
  async forNames(upstream: Upstream, names: string[], now: number): Promise<{ advisories: Map<string, RawAdvisory[]>; warning?: string }> {
    const advisories = new Map<string, RawAdvisory[]>();
    const wanted = names.filter((name) => {
      const cached = this.#cache.get(`${upstream.id}\n${name}`, now);
      if (cached) advisories.set(name, cached);
      return !cached;
    });
    if (wanted.length === 0) return { advisories };
    const apiUrl = await this.#roots.advisoriesUrl(upstream, now);
    if (!apiUrl) return { advisories };
    let warning = this.#unusable.get(`${upstream.id}\n${apiUrl}`, now);
    if (warning) return { advisories: await this.#stored(upstream, wanted, advisories), warning };
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      const body = chunk.map((name) => `packages%5B%5D=${encodeURIComponent(name)}`).join("&");
      const fetched = await this.#client.fetchBuffered(
        upstream,
        apiUrl,
        { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, timeoutMs: this.#timeoutMs, maxBytes: MAX_BYTES },
        now,
      );
      const parsed = fetched.ok && fetched.status === 200 ? parseAdvisories(fetched.body) : null;
      if (!parsed) {
        warning = `Satchel: the security advisories of ${upstream.name} could not be read${fetched.ok ? ` (HTTP ${fetched.status})` : `: ${fetched.message}`}; stored copies were used.`;
        if (fetched.ok) this.#unusable.set(`${upstream.id}\n${apiUrl}`, warning, now);
        await this.#stored(upstream, chunk, advisories);
        continue;
      }
      for (const name of chunk) {
        const list = (parsed[name] ?? []).filter(isUsable).map((advisory) => ({ ...advisory, packageName: name }));
        advisories.set(name, list);
        this.#cache.set(`${upstream.id}\n${name}`, list, now);
        if (list.length) await this.#blobs.put(mirrorAdvisoriesKey(upstream.id, name), JSON.stringify(list));
      }
    }
    return { advisories, ...(warning ? { warning } : {}) };
  }

  async #stored(upstream: Upstream, names: string[], into: Map<string, RawAdvisory[]>): Promise<Map<string, RawAdvisory[]>> {
    for (const name of names) {
      const stored = await this.#blobs.get(mirrorAdvisoriesKey(upstream.id, name));
      if (stored) into.set(name, JSON.parse(await stored.text()) as RawAdvisory[]);
    }
    return into;
  }
}

function parseAdvisories(body: Uint8Array): Record<string, unknown[]> | null {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { advisories?: unknown };
    const advisories = parsed.advisories;
    if (Array.isArray(advisories) && advisories.length === 0) return {};
    if (!advisories || typeof advisories !== "object" || Array.isArray(advisories)) return null;
    const out: Record<string, unknown[]> = {};
    for (const [name, list] of Object.entries(advisories)) if (Array.isArray(list)) out[name.toLowerCase()] = list;
    return out;
  } catch {
    return null;
  }
}

/** The fields Composer needs to build a full advisory, with the right types. */
function isUsable(value: unknown): value is RawAdvisory {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const advisory = value as RawAdvisory;
  return (
    typeof advisory.advisoryId === "string" &&
    typeof advisory.affectedVersions === "string" &&
    typeof advisory.title === "string" &&
    typeof advisory.reportedAt === "string" &&
    Array.isArray(advisory.sources)
  );
}
