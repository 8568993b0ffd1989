import { describe, expect, it } from "vitest";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { publishedEntry } from "./published-entries.ts";
import { applyPatch, parseVersionPatch, patchDiff } from "./version-patch.ts";

const entry: VersionEntry = { name: "acme/lib", version: "1.0.0", version_normalized: "1.0.0.0", type: "library", require: { php: ">=8.1", "acme/dep": "^1.0" }, "require-dev": { "phpunit/phpunit": "^10" } };

describe("metadata patches", () => {
  it("replaces only the maps it names; an empty map removes the key", () => {
    const patched = applyPatch(entry, { require: { "acme/dep": "^1.2" }, "require-dev": {} });
    expect(patched.require).toEqual({ "acme/dep": "^1.2" });
    expect(patched).not.toHaveProperty("require-dev");
    expect(entry.require).toEqual({ php: ">=8.1", "acme/dep": "^1.0" });
  });

  it("describes what it changes against the published entry", () => {
    expect(patchDiff(entry, { require: { "acme/dep": "^1.2", "acme/new": "~2.0" }, conflict: { "acme/bad": "<1" } })).toEqual({
      require: { added: { "acme/new": "~2.0" }, removed: { php: ">=8.1" }, changed: { "acme/dep": { from: "^1.0", to: "^1.2" } } },
      conflict: { added: { "acme/bad": "<1" }, removed: {}, changed: {} },
    });
  });

  it("is checked with Composer's link rules and messages", () => {
    expect(parseVersionPatch({ require: { "acme/dep": ">=1.2 <2" } }, "acme/lib")).toEqual({ require: { "acme/dep": ">=1.2 <2" } });
    expect(() => parseVersionPatch({ require: { "acme/dep": "~>1" } }, "acme/lib")).toThrow(/require\.acme\/dep : invalid version constraint \(Could not parse version constraint ~>1/);
    expect(() => parseVersionPatch({ require: { "acme/lib": "^1" } }, "acme/lib")).toThrow("require.acme/lib : a package cannot set a require on itself");
    expect(() => parseVersionPatch({ suggest: {} }, "acme/lib")).toThrow("not suggest");
    expect(() => parseVersionPatch({ require: { "acme/dep": 1 } }, "acme/lib")).toThrow("must be an object of package names and version constraints");
    expect(() => parseVersionPatch({}, "acme/lib")).toThrow("at least one of");
  });

  it("publishes abandonment over every entry, and the patch of each entry's own version", () => {
    const patches = new Map([["1.0.0.0", { patch: { require: { "acme/dep": "^1.3" } } }]]);
    expect(publishedEntry(entry, { abandoned: "acme/new-lib", patches })).toMatchObject({ abandoned: "acme/new-lib", require: { "acme/dep": "^1.3" } });
    expect(publishedEntry({ ...entry, version_normalized: "1.1.0.0" }, { abandoned: "", patches })).toMatchObject({ abandoned: true, require: entry.require });
    expect(publishedEntry({ ...entry, abandoned: true }, { abandoned: null, patches: new Map() })).toMatchObject({ abandoned: true });
  });
});
