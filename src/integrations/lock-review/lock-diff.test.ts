import { describe, expect, it } from "vitest";
import type { LockedPackage } from "../security/lock-file.ts";
import { diffLocks, isEmptyDiff } from "./lock-diff.ts";

const pkg = (name: string, version: string, reference: string | null = null): LockedPackage => ({ name, version, reference, dev: false });

describe("composer.lock diff", () => {
  it("sorts changes into added, removed, upgraded (major flagged) and downgraded by Composer's version order", () => {
    const base = [pkg("a/keep", "1.0.0"), pkg("a/up", "1.9.0"), pkg("a/major", "v1.4.2"), pkg("a/down", "2.0.0"), pkg("a/gone", "3.0.0"), pkg("a/branch", "dev-main", "aaa")];
    const head = [pkg("a/keep", "1.0.0"), pkg("a/up", "1.10.0"), pkg("a/major", "v2.0.0"), pkg("a/down", "2.0.0-RC1"), pkg("a/new", "0.1.0"), pkg("a/branch", "dev-main", "bbb")];
    const diff = diffLocks(base, head);
    expect(diff.added.map((entry) => entry.name)).toEqual(["a/new"]);
    expect(diff.removed.map((entry) => entry.name)).toEqual(["a/gone"]);
    expect(diff.upgraded.map((change) => [change.name, change.from.version, change.to.version, change.major])).toEqual([
      ["a/branch", "dev-main", "dev-main", false],
      ["a/major", "v1.4.2", "v2.0.0", true],
      // 1.10 > 1.9: a string comparison would call this a downgrade.
      ["a/up", "1.9.0", "1.10.0", false],
    ]);
    expect(diff.downgraded.map((change) => [change.name, change.from.version, change.to.version])).toEqual([["a/down", "2.0.0", "2.0.0-RC1"]]);
  });

  it("finds nothing when the lock did not change", () => {
    const lock = [pkg("a/one", "1.0.0", "abc"), pkg("a/two", "2.0.0", "def")];
    expect(isEmptyDiff(diffLocks(lock, [...lock].reverse()))).toBe(true);
  });
});
