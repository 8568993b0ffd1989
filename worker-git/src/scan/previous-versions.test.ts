// Reusing published entries: found by version and commit, refreshed in Packagist's key order.
import { describe, expect, it } from "vitest";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import { findReusable, indexPrevious, refreshEntry } from "./previous-versions.ts";

const entry: VersionEntry = {
  name: "acme/lib", version: "dev-main", version_normalized: "dev-main",
  source: { type: "git", url: "old", reference: "abc" }, dist: { type: "zip", url: "old", reference: "abc", shasum: "" },
  type: "library", time: "2024-01-01T00:00:00+00:00", "default-branch": true, require: { php: ">=8" },
};

describe("previous versions", () => {
  it("finds an entry by version and commit, from a list, a Map or ref pairs, and not under another name", () => {
    for (const previous of [[entry], new Map([["k", entry]]), [{ kind: "branch" as const, ref: "main", commit: "abc", entry }]]) {
      const index = indexPrevious(previous);
      expect(findReusable(index, "dev-main", "abc", "acme/lib")).toBe(entry);
      expect(findReusable(index, "dev-main", "abc", null)).toBeUndefined(); // no default-branch name: read
      expect(findReusable(index, "dev-main", "abd", "acme/lib")).toBeUndefined();
      expect(findReusable(index, "dev-main", "abc", "acme/other")).toBeUndefined();
    }
  });

  it("refreshes source, dist and the default-branch marker, keeping the key order", () => {
    const facts = { source: { type: "git" as const, url: "new", reference: "abc" }, dist: { type: "zip" as const, url: "d", reference: "abc", shasum: "" } };
    const plain = refreshEntry(entry, { ...facts, isDefaultBranch: false });
    expect(plain["default-branch"]).toBeUndefined();
    expect(plain.source?.url).toBe("new");
    const marked = refreshEntry(plain, { ...facts, isDefaultBranch: true });
    expect(Object.keys(marked)).toEqual(Object.keys(entry));
    expect(entry.source?.url).toBe("old");
  });
});
