import { describe, expect, it } from "vitest";
import { JobSignal } from "./job-signal.ts";

const HOUR = 3_600_000;
/** Whether `promise` settled within a few event-loop turns (no timer can have fired). */
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("JobSignal", () => {
  it("wakes every waiting claim on notify, not before", async () => {
    const signal = new JobSignal();
    const first = signal.wait(HOUR, signal.generation);
    const second = signal.wait(HOUR, signal.generation);
    expect(await settledSoon(Promise.race([first, second]))).toBe(false);
    signal.notify();
    expect(await settledSoon(Promise.all([first, second]))).toBe(true);
  });

  it("misses no notify that came between the look at the table and the wait", async () => {
    const signal = new JobSignal();
    const seen = signal.generation;
    signal.notify();
    expect(await settledSoon(signal.wait(HOUR, seen))).toBe(true);
  });

  it("ends the wait after its time, or when the claim's request is aborted", async () => {
    const signal = new JobSignal();
    const started = performance.now();
    await signal.wait(30, signal.generation);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    const abort = new AbortController();
    const waiting = signal.wait(HOUR, signal.generation, abort.signal);
    abort.abort();
    expect(await settledSoon(waiting)).toBe(true);
    expect(await settledSoon(signal.wait(HOUR, signal.generation, abort.signal))).toBe(true);
  });

  it("forgets a finished wait: a later notify wakes only the claims still waiting", async () => {
    const signal = new JobSignal();
    await signal.wait(1, signal.generation);
    const waiting = signal.wait(HOUR, signal.generation);
    signal.notify();
    expect(await settledSoon(waiting)).toBe(true);
  });
});
