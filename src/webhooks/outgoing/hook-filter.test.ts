import { describe, expect, it } from "vitest";
import { checkPackageFilter, checkVersionConstraint, packageFilterMatches, unsafeRegexReason, versionMatches } from "./hook-filter.ts";

describe("outgoing hook filters", () => {
  it("matches globs, lists of globs and regexes", () => {
    expect(packageFilterMatches(null, "acme/lib")).toBe(true);
    expect(packageFilterMatches("acme/*", "acme/lib")).toBe(true);
    expect(packageFilterMatches("acme/*", "tools/lib")).toBe(false);
    expect(packageFilterMatches("acme/*, tools/cli", "tools/cli")).toBe(true);
    expect(packageFilterMatches("acme/l?b", "acme/lab")).toBe(true);
    expect(packageFilterMatches("acme.lib", "acmexlib")).toBe(false);
    expect(packageFilterMatches("/^acme\\/(lib|tools)$/", "acme/tools")).toBe(true);
    expect(packageFilterMatches("/^ACME\\//i", "acme/x")).toBe(true);
  });

  it("refuses regexes that can backtrack catastrophically", () => {
    for (const unsafe of ["(a+)+$", "(a|a)*b", "(x*)*", "(?:a|ab)+c", "(\\w+\\s?)+$", "^(a+)\\1$", "(?=a)a", ".*.*.*.*x", "a{1,100}b{1,100}c{1,100}d+"]) {
      expect(unsafeRegexReason(unsafe), unsafe).not.toBeNull();
    }
    for (const safe of ["^acme\\/", "^(acme|tools)\\/.*$", "(?:lib)+", "^[a-z]+\\/[a-z-]+$", "(a|b)?c", "(?<vendor>acme)\\/\\w+"]) {
      expect(unsafeRegexReason(safe), safe).toBeNull();
    }
    expect(() => checkPackageFilter("/(a+)+$/")).toThrow(/catastrophic/);
    expect(() => checkPackageFilter("/[unclosed/")).toThrow();
    expect(checkPackageFilter("  ")).toBeNull();
  });

  it("filters versions by a Composer constraint", () => {
    expect(checkVersionConstraint("^2.0")).toBe("^2.0");
    expect(() => checkVersionConstraint("not a constraint ^^")).toThrow(/constraint/);
    expect(versionMatches("^2.0", "2.1.0.0")).toBe(true);
    expect(versionMatches("^2.0", "1.9.0.0")).toBe(false);
    expect(versionMatches("^2.0", "dev-main")).toBe(false);
    expect(versionMatches(null, "dev-main")).toBe(true);
  });
});
