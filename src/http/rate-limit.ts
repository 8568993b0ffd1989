// A fixed-window counter per key (IP, IP+username). In-memory, so per isolate/process: it slows
// down guessing without a DB write per failure.
export class RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  isLimited(key: string, now: number): boolean {
    const window = this.#windows.get(key);
    return window !== undefined && window.resetAt > now && window.count >= this.#limit;
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
