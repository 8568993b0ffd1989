// A fixed-window counter per key (a client IP). In memory: it slows down a client that keeps
// presenting bad tokens without a DB write per request. Passwords and codes are throttled in the
// database instead, shared by every isolate (auth/login-throttle.ts). In `npm run serve`'s
// cluster the processes add up their counts through the primary (src/cluster-refusals.ts), so
// the limit holds for the whole server, not per process; on Workers it is per isolate.

/** Failed credential checks one address may make per window before it gets 429. */
export const REFUSAL_LIMIT = 30;
export const REFUSAL_WINDOW_MS = 60_000;

export class RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  /** Keys over the limit elsewhere (the cluster's total), refused here too until the time given. */
  readonly #blocked = new Map<string, number>();
  readonly #limit: number;
  readonly #windowMs: number;
  /** In a cluster worker: told of every hit, to report it to the primary. */
  onHit: ((key: string) => void) | undefined;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Records one attempt (a failure); returns true when the key is now over the limit. */
  hit(key: string, now: number): boolean {
    this.onHit?.(key);
    const blockedUntil = this.#blocked.get(key);
    if (blockedUntil !== undefined) {
      if (blockedUntil > now) return true;
      this.#blocked.delete(key);
    }
    return this.add(key, 1, now) > this.#limit;
  }

  /** Records `count` attempts at once (another process's, summed by the primary); the window's count after them. */
  add(key: string, count: number, now: number): number {
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.#windows.size > 50_000) this.#prune(now);
      window = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, window);
    }
    window.count += count;
    return window.count;
  }

  /** When the key's current window ends (now when it has none). */
  windowEnd(key: string, now: number): number {
    const window = this.#windows.get(key);
    return window && window.resetAt > now ? window.resetAt : now;
  }

  /** The cluster's total for `key` went over the limit: refuse it here too until `until`. */
  block(key: string, until: number): void {
    if (this.#blocked.size > 50_000) this.#blocked.clear();
    this.#blocked.set(key, until);
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}
