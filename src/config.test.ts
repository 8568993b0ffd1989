import { describe, expect, it } from "vitest";
import { schedulerIntervalMs } from "./config.ts";

describe("schedulerIntervalMs", () => {
  it("is a minute by default and the given seconds otherwise", () => {
    expect(schedulerIntervalMs({})).toBe(60_000);
    expect(schedulerIntervalMs({ SATCHEL_SCHEDULER_INTERVAL_SECONDS: "1" })).toBe(1000);
    expect(schedulerIntervalMs({ SATCHEL_SCHEDULER_INTERVAL_SECONDS: "2.5" })).toBe(2500);
  });

  it("refuses what is not a number of seconds of at least 1 (a timer of NaN would fire every millisecond)", () => {
    for (const value of ["abc", "0.5", "-3", "Infinity"]) expect(() => schedulerIntervalMs({ SATCHEL_SCHEDULER_INTERVAL_SECONDS: value }), value).toThrow("SATCHEL_SCHEDULER_INTERVAL_SECONDS must be at least 1");
  });
});
