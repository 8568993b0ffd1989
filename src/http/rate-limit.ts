// A fixed-window counter per key (a client IP). In memory, so per isolate/process: it slows down
// a client that keeps presenting bad tokens without a DB write per request. Passwords and codes
// are throttled in the database instead, shared by every isolate (auth/login-throttle.ts).
export class RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Records one attempt (a failure); returns true when the key is now over the limit. */
  hit(key: string, now: number): boolean {
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.#windows.size > 50_000) this.#prune(now);
      window = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, window);
    }
    window.count++;
    return window.count > this.#limit;
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}
