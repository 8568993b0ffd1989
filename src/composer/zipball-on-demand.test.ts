import { describe, expect, it } from "vitest";
import { DEFAULT_WAIT_MS, pollDelays } from "./zipball-on-demand.ts";

describe("pollDelays", () => {
  it("polls often at first, then every 2 s, within the wait", () => {
    const delays = pollDelays(DEFAULT_WAIT_MS);
    expect(delays.slice(0, 3)).toEqual([50, 100, 150]);
    expect(Math.max(...delays)).toBe(2000);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeLessThanOrEqual(DEFAULT_WAIT_MS);
  });

  it("keeps a whole default wait inside D1's 50 queries per invocation (Free plan), beside the request's own", () => {
    // One job read per poll, and one more after the last pause; the cold request path takes at most 12 and queueing 4.
    expect(pollDelays(DEFAULT_WAIT_MS).length + 1 + 12 + 4).toBeLessThanOrEqual(50);
  });
});
