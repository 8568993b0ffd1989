// The bad-credentials limit (src/http/rate-limit.ts) across `npm run serve`'s processes: each
// worker reports its refusals per address to the primary in batches (at most every 50 ms, so a
// flood costs a message per batch, not per request); the primary adds them up and, when an
// address goes over the limit, tells every worker to refuse it until the window ends. An address
// spread over N processes thus gets the limit once, not N times (plus what arrives within a
// batch). Messages are strings: node:cluster's IPC on Node, Bun and Deno carries them alike.
import { RateLimiter, REFUSAL_LIMIT, REFUSAL_WINDOW_MS } from "./http/rate-limit.ts";

const REFUSED = "satchel:refused\n";
const OVER = "satchel:over\n";
const BATCH_MS = 50;

/** In a worker: reports `limiter`'s hits through `send`, and applies the primary's verdicts (returns the message handler). */
export function shareRefusals(limiter: RateLimiter, send: (message: string) => void): (message: unknown) => void {
  let pending = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  limiter.onHit = (key) => {
    pending.set(key, (pending.get(key) ?? 0) + 1);
    timer ??= setTimeout(() => {
      timer = undefined;
      const batch = pending;
      pending = new Map();
      send(REFUSED + [...batch].map(([address, count]) => `${address}\t${count}`).join("\n"));
    }, BATCH_MS);
  };
  return (message) => {
    if (typeof message !== "string" || !message.startsWith(OVER)) return;
    const [address, until] = message.slice(OVER.length).split("\t");
    if (address && Number.isFinite(Number(until))) limiter.block(address, Number(until));
  };
}

/** In the primary: the cluster's count per address; `broadcast` reaches every worker. */
export class RefusalTally {
  readonly #limiter = new RateLimiter(REFUSAL_LIMIT, REFUSAL_WINDOW_MS);

  /** Adds a worker's report (ignores any other message); true when it was one. */
  receive(message: unknown, now: number, broadcast: (message: string) => void): boolean {
    if (typeof message !== "string" || !message.startsWith(REFUSED)) return false;
    for (const line of message.slice(REFUSED.length).split("\n")) {
      const [address, reported] = line.split("\t");
      const count = Number(reported);
      if (!address || !(count > 0)) continue;
      const total = this.#limiter.add(address, count, now);
      // Once per window: by the report that takes the address over the limit.
      if (total > REFUSAL_LIMIT && total - count <= REFUSAL_LIMIT) broadcast(`${OVER}${address}\t${this.#limiter.windowEnd(address, now)}`);
    }
    return true;
  }
}
