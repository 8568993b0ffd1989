import { describe, expect, it } from "vitest";
import { RefusalTally, shareRefusals } from "./cluster-refusals.ts";
import { RateLimiter, REFUSAL_LIMIT, REFUSAL_WINDOW_MS } from "./http/rate-limit.ts";

const NOW = 1_800_000_000_000;

/** Two workers and a primary wired as node:cluster wires them, messages delivered by hand. */
function cluster() {
  const toPrimary: string[] = [];
  const tally = new RefusalTally();
  const workers = [0, 1].map(() => {
    const limiter = new RateLimiter(REFUSAL_LIMIT, REFUSAL_WINDOW_MS);
    const onMessage = shareRefusals(limiter, (message) => toPrimary.push(message));
    return { limiter, onMessage };
  });
  const deliver = async () => {
    await new Promise((resolve) => setTimeout(resolve, 80));
    for (const message of toPrimary.splice(0)) tally.receive(message, NOW, (verdict) => workers.forEach((worker) => worker.onMessage(verdict)));
  };
  return { workers, deliver, toPrimary };
}

describe("the bad-credentials limit across a cluster's processes", () => {
  it("refuses an address in every process once the processes' counts together pass the limit", async () => {
    const { workers, deliver } = cluster();
    const half = REFUSAL_LIMIT / 2 + 1;
    for (let i = 0; i < half; i++) for (const { limiter } of workers) expect(limiter.hit("198.51.100.7", NOW)).toBe(false);
    await deliver();
    for (const { limiter } of workers) expect(limiter.hit("198.51.100.7", NOW)).toBe(true);
    // Another address is not touched, and the block ends with the window.
    for (const { limiter } of workers) expect(limiter.hit("198.51.100.8", NOW)).toBe(false);
    for (const { limiter } of workers) expect(limiter.hit("198.51.100.7", NOW + REFUSAL_WINDOW_MS + 1)).toBe(false);
  });

  it("reports a flood in one message per batch, not one per refusal", async () => {
    const { workers, toPrimary } = cluster();
    for (let i = 0; i < 1000; i++) workers[0]!.limiter.hit("203.0.113.9", NOW);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(toPrimary).toEqual(["satchel:refused\n203.0.113.9\t1000"]);
  });

  it("ignores messages that are not its own, and malformed reports", () => {
    const tally = new RefusalTally();
    const sent: string[] = [];
    expect(tally.receive("satchel:changed", NOW, (message) => sent.push(message))).toBe(false);
    expect(tally.receive({ refused: "x" }, NOW, (message) => sent.push(message))).toBe(false);
    expect(tally.receive("satchel:refused\n\t5\n198.51.100.7\tNaN\n198.51.100.7\t-40", NOW, (message) => sent.push(message))).toBe(true);
    expect(sent).toEqual([]);
    const limiter = new RateLimiter(REFUSAL_LIMIT, REFUSAL_WINDOW_MS);
    const onMessage = shareRefusals(limiter, () => undefined);
    onMessage("satchel:over\n198.51.100.7\tsoon");
    onMessage(42);
    expect(limiter.hit("198.51.100.7", NOW)).toBe(false);
  });

  it("announces an address once per window", () => {
    const tally = new RefusalTally();
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) tally.receive(`satchel:refused\n198.51.100.7\t${REFUSAL_LIMIT}`, NOW, (message) => sent.push(message));
    expect(sent).toEqual([`satchel:over\n198.51.100.7\t${NOW + REFUSAL_WINDOW_MS}`]);
  });
});
