// The package rows the Composer path needs, remembered for the cache TTL so that a p2 or
// zipball request reads no DB row. Writes in this process evict at once; other isolates
// see them within the TTL.
import { eq } from "drizzle-orm";
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
    const row = (await this.#db.orm.select(pointerColumns).from(packages).where(eq(packages.name, name)).get()) ?? null;
    this.#byName.set(name, row, now);
    return row;
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

  invalidate(name?: string): void {
    if (name) this.#byName.delete(name);
    else this.#byName.clear();
    this.#all.clear();
  }
}
