// The policies as the Composer path reads them: from memory for the cache TTL, so a warm request
// reads no row; a change in this process forgets them at once, other isolates within the TTL.
import { TtlCache } from "../cache/lru.ts";
import type { Database } from "../ports.ts";
import { readPolicies, type Policies } from "./policy-store.ts";

export class PolicyCache {
  readonly #db: Database;
  readonly #cache: TtlCache<Policies>;

  constructor(db: Database, ttlMs: number) {
    this.#db = db;
    this.#cache = new TtlCache(ttlMs, 1);
  }

  async current(now: number): Promise<Policies> {
    const cached = this.#cache.get("policies", now);
    if (cached) return cached;
    const policies = await readPolicies(this.#db);
    this.#cache.set("policies", policies, now);
    return policies;
  }

  forget(): void {
    this.#cache.clear();
  }
}
