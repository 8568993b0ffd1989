// The package rows the Composer path needs, remembered for the cache TTL so that a p2 or
// zipball request reads no DB row. Writes in this process evict at once; other isolates
// see them within the TTL. A snapshot (packages.json) fills the per-name rows as well.
import { TtlCache } from "../cache/lru.ts";
import type { Database } from "../ports.ts";
import type { Policies } from "../policies/policy-store.ts";
import { packagePointer, packagePointers } from "./package-store.ts";

export interface PackagePointer {
  id: number;
  name: string;
  isPublic: boolean;
  description: string | null;
  packageType: string | null;
  abandoned: string | null;
  archived: boolean;
  updatedClock: number;
  /** ms; the floor of a restricted view's first Last-Modified (a name reused after a delete). */
  createdAt: number;
  tagsDocKey: string | null;
  devDocKey: string | null;
}

export interface CatalogSnapshot {
  clock: number;
  packages: PackagePointer[];
  /** Read with the clock, so a cold packages.json judges the client without a query of its own. */
  policies: Policies;
}

/** Up to this many names are looked up one by one; more, in one read of the whole catalog. */
const FEW_NAMES = 20;

export class PackageCatalog {
  readonly #db: Database;
  readonly #byName: TtlCache<PackagePointer | null>;
  readonly #all: TtlCache<CatalogSnapshot>;
  /** Counts invalidations: a snapshot read across one must not bring back what it evicted. */
  #invalidations = 0;

  readonly #onInvalidate: () => void;
  readonly #ttlMs: number;
  /** When the snapshot in memory was read, and when a refresh ahead of its expiry last began. */
  #snapshotAt = -Infinity;
  #refreshing = false;
  #refreshStartedAt = -Infinity;

  /** `onInvalidate`: what else must forget what it derived from the catalog (remembered answers). */
  constructor(db: Database, ttlMs: number, onInvalidate: () => void = () => undefined) {
    this.#db = db;
    this.#onInvalidate = onInvalidate;
    this.#ttlMs = ttlMs;
    this.#byName = new TtlCache(ttlMs);
    this.#all = new TtlCache(ttlMs, 1);
  }

  async find(name: string, now: number): Promise<PackagePointer | null> {
    const cached = this.#byName.get(name, now);
    if (cached !== undefined) return cached;
    const row = await packagePointer(this.#db, name);
    this.#byName.set(name, row, now);
    return row;
  }

  /**
   * Many names at once (notify-batch, composer audit): more than a few not remembered are looked
   * up in one read of the catalog, not one query each (on local D1, 50 queries one after another).
   */
  async findMany(names: Iterable<string>, now: number): Promise<Map<string, PackagePointer | null>> {
    const found = new Map<string, PackagePointer | null>();
    const missing = new Set<string>();
    for (const name of names) {
      const cached = this.#byName.get(name, now);
      if (cached !== undefined) found.set(name, cached);
      else missing.add(name);
    }
    if (missing.size > FEW_NAMES) {
      const listed = new Map((await this.snapshot(now)).packages.map((pkg) => [pkg.name, pkg]));
      for (const name of missing) found.set(name, listed.get(name) ?? null);
    } else {
      await Promise.all([...missing].map(async (name) => found.set(name, await this.find(name, now))));
    }
    return found;
  }

  /** Every package, for packages.json, list and search. */
  async snapshot(now: number): Promise<CatalogSnapshot> {
    return this.#all.get("all", now) ?? this.#read(now);
  }

  /**
   * Reads the catalog again once its snapshot has lived half the TTL; packages.json leaves this
   * read to run after its answer. A Composer run that starts there then finds the per-name rows
   * of its p2, zipball and notify requests fresh to its end, instead of seeing them age out midway
   * and paying a query each. Undefined when there is nothing to refresh (or a refresh is running).
   */
  refreshAhead(now: number): Promise<CatalogSnapshot> | undefined {
    if (now - this.#snapshotAt < this.#ttlMs / 2 || !this.#all.get("all", now)) return undefined;
    // One at a time (one that never ended is given up after the TTL).
    if (this.#refreshing && now - this.#refreshStartedAt < this.#ttlMs) return undefined;
    this.#refreshing = true;
    this.#refreshStartedAt = now;
    return this.#read(now).finally(() => (this.#refreshing = false));
  }

  async #read(now: number): Promise<CatalogSnapshot> {
    const invalidations = this.#invalidations;
    const snapshot = await packagePointers(this.#db);
    // A read that a write in this process overtook is answered but not remembered.
    if (invalidations !== this.#invalidations) return snapshot;
    this.#all.set("all", snapshot, now);
    this.#snapshotAt = now;
    // The same rows a find() reads: Composer asks for packages.json first, then for a p2 and a
    // zipball of each listed package, which then cost no query of their own.
    for (const pkg of snapshot.packages) this.#byName.set(pkg.name, pkg, now);
    return snapshot;
  }

  /** The policies of the snapshot in memory, if any (read with it, so no query of their own). */
  cachedPolicies(now: number): Policies | undefined {
    return this.#all.get("all", now)?.policies;
  }

  invalidate(name?: string): void {
    this.#invalidations++;
    if (name) this.#byName.delete(name);
    else this.#byName.clear();
    this.#all.clear();
    this.#onInvalidate();
  }
}
