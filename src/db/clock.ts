// The change clock: one strictly increasing count of seconds shared by every change that
// alters what a Composer client sees (package metadata, ACLs, the package list). Composer
// compares Last-Modified at one-second resolution, so two changes within the same second
// must still get different values: each tick is max(previous + 1, now).
import { sql } from "drizzle-orm";
import { meta } from "./schema.ts";
import type { Database } from "../ports.ts";

/** A statement that advances the clock; put it first in a batch and read it with CLOCK_NOW. */
export function tickClock(db: Database, nowMs: number) {
  const nowSeconds = Math.floor(nowMs / 1000);
  return db.orm
    .insert(meta)
    .values({ key: "clock", value: String(nowSeconds) })
    .onConflictDoUpdate({ target: meta.key, set: { value: sql`max(cast(${meta.value} as integer) + 1, ${nowSeconds})` } });
}

/** The clock's current value, usable inside the same batch right after tickClock(). */
export const CLOCK_NOW = sql<number>`(select cast(value as integer) from meta where key = 'clock')`;

/** Marks the package list (names, public flags) as changed, so every packages.json gets a new Last-Modified. */
export function touchCatalog(db: Database) {
  return db.orm
    .insert(meta)
    .values({ key: "catalog_clock", value: sql`${CLOCK_NOW}` })
    .onConflictDoUpdate({ target: meta.key, set: { value: sql`${CLOCK_NOW}` } });
}
