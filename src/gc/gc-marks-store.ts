// The store of garbage-collection marks: blobs seen unreferenced, since when, and which ones a
// pass is deleting right now. Statements for a publish's batch keep a document it points at
// from being collected under it.
import { and, eq, inArray, sql } from "drizzle-orm";
import { blobGcMarks, meta } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";

export type GcMark = typeof blobGcMarks.$inferSelect;

// D1 binds at most 100 parameters per statement: 90 keys, or 20 rows of 4 columns.
const chunks = <T>(items: T[], size = 90) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const FREED_KEY = "gc_freed_bytes";

export class GcMarks {
  readonly #db: Database;
  constructor(db: Database) {
    this.#db = db;
  }

  async all(): Promise<Map<string, GcMark>> {
    const rows = await this.#db.orm.select().from(blobGcMarks).all();
    return new Map(rows.map((row) => [row.key, row]));
  }

  async add(marks: { key: string; size: number }[], now: number): Promise<void> {
    for (const part of chunks(marks, 20)) {
      await this.#db.orm.insert(blobGcMarks).values(part.map((mark) => ({ ...mark, markedAt: now }))).onConflictDoNothing();
    }
  }

  /** Forgets marks (the blob is referenced again, gone, or deleted). */
  async forget(keys: string[]): Promise<void> {
    for (const part of chunks(keys)) await this.#db.orm.delete(blobGcMarks).where(inArray(blobGcMarks.key, part));
  }

  /** Moves pending marks to `deleting`; returns those this pass now owns. */
  async claim(keys: string[]): Promise<GcMark[]> {
    const claimed: GcMark[] = [];
    for (const part of chunks(keys)) {
      claimed.push(...(await this.#db.orm.update(blobGcMarks).set({ state: "deleting" }).where(and(inArray(blobGcMarks.key, part), eq(blobGcMarks.state, "pending"))).returning().all()));
    }
    return claimed;
  }

  async deletingAny(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    const row = await this.#db.orm.select({ key: blobGcMarks.key }).from(blobGcMarks).where(and(inArray(blobGcMarks.key, keys), eq(blobGcMarks.state, "deleting"))).get();
    return row !== undefined;
  }

  async addFreed(bytes: number): Promise<void> {
    if (bytes <= 0) return;
    await this.#db.orm
      .insert(meta)
      .values({ key: FREED_KEY, value: String(bytes) })
      .onConflictDoUpdate({ target: meta.key, set: { value: sql`cast(${meta.value} as integer) + ${bytes}` } });
  }

  /** Bytes freed by garbage collection since this instance began. */
  async freedBytes(): Promise<number> {
    const row = await this.#db.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, FREED_KEY)).get();
    return Number(row?.value ?? 0);
  }
}

/**
 * For the batch that makes rows point at `keys` (a publish): aborts the batch while a pass is
 * deleting one of them (the caller stores it again and retries), and drops pending marks, so
 * no pass claims a blob that is referenced from now on.
 */
export function keepBlobsStatements(db: Database, keys: string[]): [BatchStatement, BatchStatement] {
  return [
    // A NOT NULL violation aborts the whole batch.
    db.orm
      .insert(meta)
      .select(
        db.orm
          .select({ key: sql<string>`'gc_guard'`.as("key"), value: sql<string>`null`.as("value") })
          .from(blobGcMarks)
          .where(and(eq(blobGcMarks.state, "deleting"), inArray(blobGcMarks.key, keys)))
          .limit(1),
      ),
    db.orm.delete(blobGcMarks).where(inArray(blobGcMarks.key, keys)),
  ];
}
