// The admin-recorded advisories of each package name, remembered for the cache TTL. `composer
// audit` runs at the end of every `composer update` and Composer waits for its answer: without
// this, a D1 read each time (on local D1, queued behind the statistics the notify-batch just
// before it writes). Staleness is bounded like the answers' (src/cache/answer-memo.ts): a write
// in this process (the advisory routes and pages, a restore: any request that may write) or a
// sibling's announcement moves the answers' generation and forgets everything; other isolates
// see a change within the TTL.
import { TtlCache } from "../cache/lru.ts";
import type { Database } from "../ports.ts";
import { advisoriesFor, type AdvisoryRow } from "./advisory-store.ts";

export class AdvisoryCache {
  readonly #db: Database;
  readonly #byName: TtlCache<AdvisoryRow[]>;
  /** The answers' generation: -1 while a write is in flight in this process. */
  readonly #generation: () => number;
  #filledIn = -1;

  constructor(db: Database, ttlMs: number, generation: () => number) {
    this.#db = db;
    this.#byName = new TtlCache(ttlMs, 20_000);
    this.#generation = generation;
  }

  /** The advisories of `names` (one read for the names not remembered, none when all are). */
  async rowsFor(names: string[], now: number): Promise<AdvisoryRow[]> {
    const generation = this.#generation();
    if (generation !== this.#filledIn) {
      this.#byName.clear();
      this.#filledIn = generation;
    }
    const rows: AdvisoryRow[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const known = generation < 0 ? undefined : this.#byName.get(name, now);
      if (known) rows.push(...known);
      else missing.push(name);
    }
    if (missing.length === 0) return rows;
    const read = await advisoriesFor(this.#db, missing);
    rows.push(...read);
    // A read that a write in this process overtook may predate it: answered, not remembered.
    if (generation >= 0 && generation === this.#generation()) {
      const byName = new Map<string, AdvisoryRow[]>(missing.map((name) => [name, []]));
      for (const row of read) byName.get(row.packageName)?.push(row);
      for (const [name, list] of byName) this.#byName.set(name, list, now);
    }
    return rows;
  }
}
