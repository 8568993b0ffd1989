import { describe, expect, it } from "vitest";
import type { CatalogSnapshot } from "../packages/catalog.ts";
import { DEFAULT_POLICIES } from "../policies/policy-store.ts";
import { UsableMemo } from "./usable-memo.ts";

const snapshot = (): CatalogSnapshot => ({ clock: 1, packages: [], policies: DEFAULT_POLICIES });
const customer = (...patterns: string[]) => ({ roles: ["ROLE_USER" as const], grants: patterns.map((pattern) => ({ pattern, constraint: null, notAfter: null })) });

describe("UsableMemo", () => {
  it("decides once per snapshot, sub-repository version and grants, then answers from memory", () => {
    const memo = new UsableMemo();
    const catalog = snapshot();
    const sub = { id: 1, changedClock: 10 };
    let decisions = 0;
    const decide = (answer: boolean) => () => {
      decisions++;
      return answer;
    };
    expect(memo.usable(catalog, sub, customer("acme/*"), decide(true))).toBe(true);
    // Another request of a principal with the same grants: no new scan.
    expect(memo.usable(catalog, sub, customer("acme/*"), decide(false))).toBe(true);
    expect(decisions).toBe(1);
    // Different grants, a changed sub-repository, another one, or a new snapshot: decided again.
    expect(memo.usable(catalog, sub, customer("other/*"), decide(false))).toBe(false);
    expect(memo.usable(catalog, { id: 1, changedClock: 11 }, customer("acme/*"), decide(false))).toBe(false);
    expect(memo.usable(catalog, { id: 2, changedClock: 10 }, customer("acme/*"), decide(false))).toBe(false);
    expect(memo.usable(snapshot(), sub, customer("acme/*"), decide(false))).toBe(false);
    expect(decisions).toBe(5);
  });
});
