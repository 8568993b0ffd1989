import { describe, expect, it } from "vitest";
import { WeightedLru } from "./lru.ts";

describe("WeightedLru", () => {
  it("evicts the entries not read since they were stored, oldest first, and keeps the ones read", () => {
    const lru = new WeightedLru<string>(40);
    for (const key of ["a", "b", "c", "d"]) lru.set(key, key, 10);
    expect(lru.get("a")).toBe("a");
    lru.set("e", "e", 10);
    expect(lru.get("b")).toBeUndefined();
    expect(["a", "c", "d", "e"].map((key) => lru.get(key))).toEqual(["a", "c", "d", "e"]);
    // Everything was read: the oldest read entry gets a second chance only once.
    lru.set("f", "f", 10);
    lru.set("g", "g", 10);
    expect([..."acdefg"].filter((key) => lru.get(key) !== undefined)).toHaveLength(4);
    expect(lru.get("g")).toBe("g");
  });

  it("never stores one value heavier than a quarter of the bound", () => {
    const lru = new WeightedLru<string>(40);
    lru.set("big", "x", 11);
    expect(lru.get("big")).toBeUndefined();
  });
});
