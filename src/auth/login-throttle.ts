// Password and one-time-code checks (the sign-in form, its code step, POST /api/auth/token),
// throttled by counters in the database so every isolate and process shares them.
//
// An attempt reserves its slot before the check, in one atomic upsert, so a burst of parallel
// requests can never run more checks than the limit. A success gives its slot back: only
// failures use up the budget, and a user who signs in correctly never spends anyone's.
import { sql } from "drizzle-orm";
import type { Database } from "../ports.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failed checks per window for one account from one address. */
export const PER_ACCOUNT_LIMIT = 10;
/** Failed checks per window from one address, whatever the accounts. */
export const PER_ADDRESS_LIMIT = 30;

export interface LoginAttempt {
  /** The check succeeded: give the slot back. */
  release(): Promise<void>;
}

interface Slot {
  key: string;
  count: number;
  reset_at: number;
}

/**
 * Reserves one check for `account` (e.g. `user:alice`, `otp:42`) from `address`; null when a
 * limit is reached (nothing was checked, and nothing stays counted).
 */
export async function reserveLoginAttempt(deps: { db: Database; now: number }, address: string, account: string): Promise<LoginAttempt | null> {
  const { db, now } = deps;
  const limits = new Map([
    [`login:address:${address}`, PER_ADDRESS_LIMIT],
    [`login:account:${address}\n${account}`, PER_ACCOUNT_LIMIT],
  ]);
  const resetAt = now + LOGIN_WINDOW_MS;
  const values = sql.join([...limits.keys()].map((key) => sql`(${key}, 1, ${resetAt})`), sql`, `);
  const slots = await db.orm.all<Slot>(sql`
    insert into attempt_counters (key, count, reset_at) values ${values}
    on conflict (key) do update set
      count = case when attempt_counters.reset_at <= ${now} then 1 else attempt_counters.count + 1 end,
      reset_at = case when attempt_counters.reset_at <= ${now} then excluded.reset_at else attempt_counters.reset_at end
    returning key, count, reset_at`);
  let released = false;
  const attempt: LoginAttempt = {
    async release() {
      if (released) return;
      released = true;
      await releaseSlots(db, slots);
    },
  };
  if (slots.every((slot) => Number(slot.count) <= (limits.get(slot.key) ?? 0))) return attempt;
  await attempt.release();
  return null;
}

// Only the window the slot was taken in: a window that restarted meanwhile owes nothing.
async function releaseSlots(db: Database, slots: Slot[]): Promise<void> {
  const owned = sql.join(slots.map((slot) => sql`(key = ${slot.key} and reset_at = ${slot.reset_at})`), sql` or `);
  await db.orm.run(sql`update attempt_counters set count = count - 1 where count > 0 and (${owned})`);
}

/** Drops counters whose window has passed (the scheduler calls this). */
export async function sweepAttemptCounters(deps: { db: Database; now: number }): Promise<number> {
  const swept = await deps.db.orm.all<{ key: string }>(sql`delete from attempt_counters where reset_at <= ${deps.now} returning key`);
  return swept.length;
}
