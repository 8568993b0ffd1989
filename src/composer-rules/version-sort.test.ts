import { describe, it, expect } from "vitest";
import {
  compareVersionsAsc, compareVersionsDesc, compareWith, greaterThan, lessThan, rsortVersions, sortKey, sortVersions,
} from "./version-sort.ts";
import type { Operator } from "./constraints.ts";
import { VersionParseError } from "./version-parser.ts";

// Expected orders are what composer/semver 3.3's Semver::sort()/rsort() return on PHP 8.2.
describe("Semver::sort / Semver::rsort", () => {
  const versions = ["1.0", "0.1", "0.1", "3.2.1", "2.4.0-alpha", "2.4.0"];

  it("sorts ascending", () => {
    expect(sortVersions(versions)).toEqual(["0.1", "0.1", "1.0", "2.4.0-alpha", "2.4.0", "3.2.1"]);
  });

  it("sorts descending", () => {
    expect(rsortVersions(versions)).toEqual(["3.2.1", "2.4.0", "2.4.0-alpha", "1.0", "0.1", "0.1"]);
  });

  const withBranches = ["dev-foo", "1.0.0", "dev-master", "2.0-beta", "1.0.x-dev", "v1.5", "dev-bar"];

  it("orders dev branches exactly like PHP (dev-master counts as 9999999-dev)", () => {
    expect(rsortVersions(withBranches)).toEqual(["dev-master", "2.0-beta", "v1.5", "1.0.x-dev", "1.0.0", "dev-foo", "dev-bar"]);
    expect(sortVersions(withBranches)).toEqual(["dev-foo", "dev-bar", "1.0.0", "1.0.x-dev", "v1.5", "2.0-beta", "dev-master"]);
  });

  it("replays zend_sort's order for lists longer than 16", () => {
    const list = ["dev-foo", "dev-bar", "dev-baz", "1.0", "dev-master", "master", "dev-trunk", "9999999-dev", "1.0.0", "v1.0",
      "1.0-beta", "1.0.x-dev", "dev-a", "dev-b", "dev-c", "dev-d", "dev-e", "dev-f", "dev-g", "2.0"];
    expect(sortVersions(list)).toEqual(["dev-a", "dev-c", "dev-b", "dev-e", "dev-d", "dev-f", "dev-g", "dev-baz", "dev-bar",
      "dev-foo", "1.0-beta", "1.0", "1.0.0", "v1.0", "1.0.x-dev", "2.0", "dev-master", "master", "dev-trunk", "9999999-dev"]);
    expect(rsortVersions(list)).toEqual(["dev-master", "master", "dev-trunk", "9999999-dev", "2.0", "1.0.x-dev", "1.0", "1.0.0",
      "v1.0", "1.0-beta", "dev-bar", "dev-baz", "dev-a", "dev-b", "dev-c", "dev-d", "dev-e", "dev-f", "dev-g", "dev-foo"]);
  });

  it("throws on a version normalize() rejects", () => {
    expect(() => rsortVersions(["1.0", "foo"])).toThrow(VersionParseError);
  });
});

describe("compareVersionsDesc / compareVersionsAsc", () => {
  it("is a consistent comparator for Array.prototype.sort", () => {
    const sorted = ["1.0", "2.0.0-RC1", "dev-master", "2.0.0", "1.0.0-beta", "v1.5"].sort(compareVersionsDesc);
    expect(sorted).toEqual(["dev-master", "2.0.0", "2.0.0-RC1", "v1.5", "1.0", "1.0.0-beta"]);
    expect(compareVersionsDesc("1.0", "1.0.0")).toBe(0);
    expect(compareVersionsDesc("dev-foo", "dev-bar")).toBe(0);
    expect(compareVersionsAsc("1.0", "2.0")).toBeLessThan(0);
    expect(compareVersionsAsc("1.0", "1.0")).toBe(0);
  });

  it("uses Semver::usort's sort key", () => {
    expect(sortKey("dev-master")).toBe("9999999-dev");
    expect(sortKey("v1.2")).toBe("1.2.0.0");
  });
});

describe("Comparator (ComparatorTest)", () => {
  it.each([
    ["1.25.0", ">", "1.24.0", true], ["1.25.0", ">", "1.25.0", false], ["1.25.0", "<", "1.24.0", false],
    ["1.25.0", ">=", "1.25.0", true], ["dev-foo", "<", "1.0", true], ["1.0", "<", "dev-foo", false],
    ["dev-foo", "==", "dev-foo", true], ["dev-foo", "!=", "dev-bar", true], ["dev-master", "<", "dev-trunk", false],
  ] as const)("%s %s %s = %s", (a, op: Operator, b, expected) => {
    expect(compareWith(a, op, b)).toBe(expected);
  });

  it("has lessThan / greaterThan shorthands", () => {
    expect(lessThan("1.0.0.0", "1.0.1.0")).toBe(true);
    expect(greaterThan("1.0.0.0", "1.0.1.0")).toBe(false);
  });
});
