// One backup or restore at a time across every isolate and process: a lease row in `meta`,
// taken atomically, renewed while the work runs, and expiring on its own if the holder dies.
import { and, eq, sql } from "drizzle-orm";
import { meta } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export const OPERATION_LEASE_KEY = "operation_lease";
export const LEASE_MS = 10 * 60_000;

export interface OperationLease {
  /** Extends the lease when half of it has passed; false when it was lost (taken over after expiry). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** The lease, or null while another backup or restore holds it. */
export async function takeOperationLease(db: Database, now: () => number): Promise<OperationLease | null> {
  let value = String(now() + LEASE_MS);
  const taken = await db.orm
    .insert(meta)
    .values({ key: OPERATION_LEASE_KEY, value })
    .onConflictDoUpdate({ target: meta.key, set: { value }, setWhere: sql`cast(${meta.value} as integer) < ${now()}` })
    .returning()
    .get();
  if (!taken) return null;
  return {
    async renew() {
      if (Number(value) - now() > LEASE_MS / 2) return true;
      const next = String(now() + LEASE_MS);
      const renewed = await db.orm.update(meta).set({ value: next }).where(and(eq(meta.key, OPERATION_LEASE_KEY), eq(meta.value, value))).returning().get();
      if (renewed) value = next;
      return renewed !== undefined;
    },
    async release() {
      await db.orm.delete(meta).where(and(eq(meta.key, OPERATION_LEASE_KEY), eq(meta.value, value)));
    },
  };
}

/** Whether a backup or restore holds the lease now (garbage collection waits for it). */
export async function operationRunning(db: Database, now: number): Promise<boolean> {
  const row = await db.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, OPERATION_LEASE_KEY)).get();
  return row !== undefined && Number(row.value) >= now;
}
