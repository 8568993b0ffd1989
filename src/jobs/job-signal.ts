// Wakes the git workers' long polls (POST /api/worker/jobs/claim) as soon as this process (or
// isolate) makes a job claimable, instead of at their next look at the jobs table. Each look is
// a write statement (claimJob's UPDATE), and on local D1 an fsync on workerd's only thread, so a
// look every 250 ms cost an idle `npm start` 8 writes a second. With the wake-up a claim looks
// again at CLAIM_POLL_MS: soon enough for a job queued by another process or isolate.
export const CLAIM_POLL_MS = 1000;

export class JobSignal {
  #generation = 0;
  #waiters = new Set<() => void>();

  /** Changes whenever a job may have become claimable: read it before looking at the table. */
  get generation(): number {
    return this.#generation;
  }

  /** A job was queued, or one finished (its package's next job may run): every waiting claim looks now. */
  notify(): void {
    this.#generation++;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves after `ms`, on a notify() since `generation` (at once if one came already: nothing
   * is missed between a look at the table and this wait), or when `abort` fires.
   */
  async wait(ms: number, generation: number, abort?: AbortSignal): Promise<void> {
    if (generation !== this.#generation || abort?.aborted) return;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    // The timer and the abort listener belong to the waiting request: they are cleared here, in
    // its own context, never from the request that notifies (workerd ties timers to a request).
    const timer = setTimeout(wake, ms);
    abort?.addEventListener("abort", wake, { once: true });
    this.#waiters.add(wake);
    try {
      await woken;
    } finally {
      clearTimeout(timer);
      abort?.removeEventListener("abort", wake);
      this.#waiters.delete(wake);
    }
  }
}
