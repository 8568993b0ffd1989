// The package rows the Composer path needs, remembered for the cache TTL so that a p2 or
// zipball request reads no DB row. Writes in this process evict at once; other isolates
// see them within the TTL.
import { eq, inArray } from "drizzle-orm";
import { meta, packages } from "../db/schema.ts";
import { TtlCache } from "../cache/lru.ts";
import type { Database } from "../ports.ts";

export interface PackagePointer {
  id: number;
  name: string;
  isPublic: boolean;
  description: string | null;
  packageType: string | null;
  abandoned: string | null;
  updatedClock: number;
  tagsDocKey: string | null;
  devDocKey: string | null;
}

export interface CatalogSnapshot {
  clock: number;
  packages: PackagePointer[];
}

const pointerColumns = {
  id: packages.id,
  name: packages.name,
  isPublic: packages.isPublic,
  description: packages.description,
  packageType: packages.packageType,
  abandoned: packages.abandoned,
  updatedClock: packages.updatedClock,
  tagsDocKey: packages.tagsDocKey,
  devDocKey: packages.devDocKey,
};

export class PackageCatalog {
  readonly #db: Database;
  readonly #byName: TtlCache<PackagePointer | null>;
  readonly #all: TtlCache<CatalogSnapshot>;

  constructor(db: Database, ttlMs: number) {
    this.#db = db;
    this.#byName = new TtlCache(ttlMs);
    this.#all = new TtlCache(ttlMs, 1);
  }

  /** What find() would answer from memory, without a promise; undefined when it must ask the DB. */
  peek(name: string, now: number): PackagePointer | null | undefined {
    return this.#byName.get(name, now);
  }

  async find(name: string, now: number): Promise<PackagePointer | null> {
    const cached = this.#byName.get(name, now);
    if (cached !== undefined) return cached;
    // Composer reads packages.json (the snapshot) first, then a p2 per package: no query each.
    const snapshot = this.#all.get("all", now);
    const row = snapshot ? (this.#index(snapshot).get(name) ?? null) : ((await this.#db.orm.select(pointerColumns).from(packages).where(eq(packages.name, name)).get()) ?? null);
    this.#byName.set(name, row, now);
    return row;
  }

  /** find() for many names: the ones not in memory in one query per 90 names (D1's parameter limit). */
  async findMany(names: string[], now: number): Promise<Map<string, PackagePointer | null>> {
    const found = new Map<string, PackagePointer | null>();
    const missing: string[] = [];
    for (const name of names) {
      const cached = this.#byName.get(name, now);
      if (cached === undefined) missing.push(name);
      else found.set(name, cached);
    }
    for (let i = 0; i < missing.length; i += 90) {
      const part = missing.slice(i, i + 90);
      const rows = await this.#db.orm.select(pointerColumns).from(packages).where(inArray(packages.name, part)).all();
      const byName = new Map(rows.map((row) => [row.name, row]));
      for (const name of part) {
        const row = byName.get(name) ?? null;
        this.#byName.set(name, row, now);
        found.set(name, row);
      }
    }
    return found;
  }

  /** Every package, for packages.json, list and search. */
  async snapshot(now: number): Promise<CatalogSnapshot> {
    const cached = this.#all.get("all", now);
    if (cached) return cached;
    const [rows, clockRow] = await Promise.all([
      this.#db.orm.select(pointerColumns).from(packages).orderBy(packages.name).all(),
      this.#db.orm.select().from(meta).where(eq(meta.key, "catalog_clock")).get(),
    ]);
    const snapshot = { clock: Number(clockRow?.value ?? 0), packages: rows };
    this.#all.set("all", snapshot, now);
    return snapshot;
  }

  readonly #indexes = new WeakMap<CatalogSnapshot, Map<string, PackagePointer>>();

  #index(snapshot: CatalogSnapshot): Map<string, PackagePointer> {
    let index = this.#indexes.get(snapshot);
    if (!index) {
      index = new Map(snapshot.packages.map((pkg) => [pkg.name, pkg]));
      this.#indexes.set(snapshot, index);
    }
    return index;
  }

  invalidate(name?: string): void {
    if (name) this.#byName.delete(name);
    else this.#byName.clear();
    this.#all.clear();
  }
}
