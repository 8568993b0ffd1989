import { describe, it, expect } from "vitest";
import { canonicalizeVersion, phpVersionCompare, phpVersionCompareOp } from "./version-compare.ts";
import type { PhpCompareOperator, PhpCompareResult } from "./version-compare.ts";

// Expected values are what PHP 8.2's version_compare() returns.
describe("phpVersionCompare (PHP version_compare)", () => {
  const cases: [string, string, PhpCompareResult][] = [
    ["5.2", "5.2.0", -1],
    ["1.0rc1", "1.0", -1],
    ["1.0", "1.0.0", -1],
    ["1.0-dev", "1.0-alpha", -1],
    ["1.0-alpha", "1.0-beta", -1],
    ["1.0-beta", "1.0-RC1", -1],
    ["1.0-RC1", "1.0", -1],
    ["1.0", "1.0pl1", -1],
    ["1.0a", "1.0alpha", 0],
    ["1.0b1", "1.0beta1", 0],
    ["1.0.0.0-dev", "1.0.0.0", -1],
    ["", "1", -1],
    ["", "", 0],
    ["1.2.3", "1.2.10", -1],
    ["1.0.0.0-patch1", "1.0.0.0", 1],
    ["foo", "1", -1],
    ["foo", "dev", -1],
    ["1.0.", "1.0", -1],
    ["9223372036854775808", "9223372036854775809", 0], // strtol() saturates
    ["1.0-Alpha", "1.0-dev", -1], // special forms are case-sensitive
    ["1.0#1", "1.0", 1],
    ["#1", "#2", 0], // a leading "#" skips canonicalization
    ["1_0", "1.0", 0],
    ["1+0", "1-0", 0],
    ["1.0RC1", "1.0rc1", 0],
    ["1.0p1", "1.0", 1],
    ["1.0-p1", "1.0-pl1", 0],
    ["1.0-patch1", "1.0-p1", 0], // "patch" is matched by its "p" prefix
    ["1\u0000a", "1", 0], // C strings end at NUL
    ["1é", "1", -1],
  ];

  it.each(cases)("version_compare(%j, %j) = %i", (a, b, expected) => {
    expect(phpVersionCompare(a, b)).toBe(expected);
    expect(phpVersionCompare(b, a)).toBe(-expected || 0);
  });

  const ops: [string, PhpCompareOperator, string, boolean][] = [
    ["1.0", "<", "2.0", true],
    ["1.0", "lt", "1.0", false],
    ["1.0", "le", "1.0", true],
    ["1.0", "ne", "1.0.0", true],
    ["1.0", "=", "1.0", true],
    ["1.0", "<>", "1.0", false],
    ["2.0", "ge", "1.0", true],
    ["2.0", "gt", "2.0", false],
    ["1.0.0.0-beta2", ">", "1.0.0.0-beta1", true],
    ["1.0.0.0", "==", "1.0.0.0", true],
  ];

  it.each(ops)("version_compare(%j, %j, %j) = %s", (a, op, b, expected) => {
    expect(phpVersionCompareOp(a, b, op)).toBe(expected);
  });
});

describe("canonicalizeVersion (php_canonicalize_version)", () => {
  it.each([
    ["1.0rc1", "1.0.rc.1"],
    ["1.0-beta_2+3", "1.0.beta.2.3"],
    ["1..2", "1.2"],
    ["1.0.0.0-dev", "1.0.0.0.dev"],
    ["-1", "-.1"], // the first character is copied as-is
    ["a/b", "a.b"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(canonicalizeVersion(input)).toBe(expected);
  });
});
