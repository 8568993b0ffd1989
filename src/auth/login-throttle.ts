// Password and one-time-code checks (the sign-in form, its code step, POST /api/auth/token),
// throttled by counters in the database so every isolate and process shares them.
//
// An attempt reserves its slot before the check, in one atomic upsert, so a burst of parallel
// requests can never run more checks than the limit. A success gives its slot back: only
// failures use up the budget, and a user who signs in correctly never spends anyone's.
import type { Database } from "../ports.ts";
import { releaseSlots, sweepSlots, takeSlots } from "./attempt-store.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failed checks per window for one account from one address. */
export const PER_ACCOUNT_LIMIT = 10;
/** Failed checks per window from one address, whatever the accounts. */
export const PER_ADDRESS_LIMIT = 30;

export interface LoginAttempt {
  /** The check succeeded: give the slot back. */
  release(): Promise<void>;
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
  const slots = await takeSlots(db, [...limits.keys()], now, now + LOGIN_WINDOW_MS);
  let released = false;
  const attempt: LoginAttempt = {
    async release() {
      if (released) return;
      released = true;
      // Only the window the slot was taken in: a window that restarted meanwhile owes nothing.
      await releaseSlots(db, slots);
    },
  };
  if (slots.every((slot) => Number(slot.count) <= (limits.get(slot.key) ?? 0))) return attempt;
  await attempt.release();
  return null;
}


/** Drops counters whose window has passed (the scheduler calls this). */
export async function sweepAttemptCounters(deps: { db: Database; now: number }): Promise<number> {
  return sweepSlots(deps.db, deps.now);
}
