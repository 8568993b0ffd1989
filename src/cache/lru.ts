// A size-bounded LRU for immutable or TTL-stamped values (p2 bodies, filtered views). Bounded
// by total weight so a Worker isolate (128 MB) never grows past its share.
export class WeightedLru<V> {
  readonly #entries = new Map<string, { value: V; weight: number; used: boolean }>();
  readonly #maxWeight: number;
  #weight = 0;

  constructor(maxWeight: number) {
    this.#maxWeight = maxWeight;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // Second chance (CLOCK): a hit only sets a flag; eviction moves flagged entries to the back
    // instead of dropping them. Re-inserting on every hit was a measurable share of a warm p2.
    entry.used = true;
    return entry.value;
  }

  set(key: string, value: V, weight: number): void {
    if (weight > this.#maxWeight / 4) return;
    this.delete(key);
    this.#entries.set(key, { value, weight, used: false });
    this.#weight += weight;
    while (this.#weight > this.#maxWeight) {
      const [oldKey, entry] = this.#entries.entries().next().value!;
      this.#entries.delete(oldKey);
      if (entry.used && oldKey !== key) {
        entry.used = false;
        this.#entries.set(oldKey, entry);
      } else {
        this.#weight -= entry.weight;
      }
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  deleteWhere(predicate: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (predicate(key)) this.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }
}

/** A value remembered for `ttlMs`: the bound on cross-isolate staleness. */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries = 50_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, now: number): void {
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, until: now + this.#ttlMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
