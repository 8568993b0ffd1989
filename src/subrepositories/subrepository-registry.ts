// Every sub-repository, read in one query and remembered for the cache TTL: the Composer path
// (each root request asks whether its Host is a sub-repository's) reads no row when warm.
// Writes in this process call invalidate(); other isolates see them within the TTL.
import type { Principal } from "../auth/principal.ts";
import { TtlCache } from "../cache/lru.ts";
import type { Database } from "../ports.ts";
import { listSubrepositories } from "./subrepository-store.ts";

export interface Subrepository {
  id: number;
  name: string;
  slug: string;
  patterns: readonly string[];
  isPublic: boolean;
  hostname: string | null;
  changedClock: number;
  /** Who a request without credentials is inside a public one: it sees every version of every package of it. */
  anonymous: Principal;
}

interface Index {
  bySlug: Map<string, Subrepository>;
  byHost: Map<string, Subrepository>;
}

export class SubrepositoryRegistry {
  readonly #db: Database;
  readonly #cache: TtlCache<Promise<Index>>;

  constructor(db: Database, ttlMs: number) {
    this.#db = db;
    this.#cache = new TtlCache(ttlMs, 1);
  }

  /** Every sub-repository, by slug. */
  async all(now: number): Promise<Subrepository[]> {
    return [...(await this.#index(now)).bySlug.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }

  async bySlug(slug: string, now: number): Promise<Subrepository | undefined> {
    return (await this.#index(now)).bySlug.get(slug);
  }

  async byHost(hostname: string, now: number): Promise<Subrepository | undefined> {
    const index = await this.#index(now);
    return index.byHost.size === 0 ? undefined : index.byHost.get(hostname.toLowerCase());
  }

  invalidate(): void {
    this.#cache.clear();
  }

  #index(now: number): Promise<Index> {
    const cached = this.#cache.get("all", now);
    if (cached) return cached;
    const loading = this.#load();
    loading.catch(() => this.#cache.clear());
    this.#cache.set("all", loading, now);
    return loading;
  }

  async #load(): Promise<Index> {
    const index: Index = { bySlug: new Map(), byHost: new Map() };
    for (const row of await listSubrepositories(this.#db)) {
      const sub: Subrepository = {
        id: row.id,
        name: row.name,
        slug: row.slug,
        patterns: row.packages,
        isPublic: row.isPublic,
        hostname: row.hostname,
        changedClock: row.changedClock,
        anonymous: anonymousInside(row.id, row.packages, row.changedClock),
      };
      index.bySlug.set(sub.slug, sub);
      if (sub.hostname) index.byHost.set(sub.hostname, sub);
    }
    return index;
  }
}

function anonymousInside(id: number, patterns: readonly string[], changedClock: number): Principal {
  return {
    userId: 0,
    username: "",
    serviceAccount: false,
    roles: [],
    expiresAt: null,
    expiredUpdatesAt: null,
    disabled: false,
    grants: patterns.map((pattern) => ({ pattern, constraint: null, notAfter: null })),
    groupIds: [],
    aclClock: changedClock,
    scopes: ["metadata:read"],
    subrepository: { id, patterns },
  };
}
