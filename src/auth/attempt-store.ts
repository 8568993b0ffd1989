// The attempt_counters table: one counter per key and window, taken and given back atomically
// (auth/login-throttle.ts holds the rules).
import { sql } from "drizzle-orm";
import type { Database } from "../ports.ts";

export interface Slot {
  key: string;
  count: number;
  reset_at: number;
}

/** Counts one attempt on each key in one upsert (a passed window restarts at 1); the counts after it. */
export async function takeSlots(db: Database, keys: string[], now: number, resetAt: number): Promise<Slot[]> {
  const values = sql.join(keys.map((key) => sql`(${key}, 1, ${resetAt})`), sql`, `);
  return db.orm.all<Slot>(sql`
    insert into attempt_counters (key, count, reset_at) values ${values}
    on conflict (key) do update set
      count = case when attempt_counters.reset_at <= ${now} then 1 else attempt_counters.count + 1 end,
      reset_at = case when attempt_counters.reset_at <= ${now} then excluded.reset_at else attempt_counters.reset_at end
    returning key, count, reset_at`);
}

/** Gives the slots back, only in the window they were taken in. */
export async function releaseSlots(db: Database, slots: Slot[]): Promise<void> {
  const owned = sql.join(slots.map((slot) => sql`(key = ${slot.key} and reset_at = ${slot.reset_at})`), sql` or `);
  await db.orm.run(sql`update attempt_counters set count = count - 1 where count > 0 and (${owned})`);
}

/** Drops counters whose window has passed; how many. */
export async function sweepSlots(db: Database, now: number): Promise<number> {
  const swept = await db.orm.all<{ key: string }>(sql`delete from attempt_counters where reset_at <= ${now} returning key`);
  return swept.length;
}
