import { describe, expect, it } from "vitest";
import { isNumericString, ksort, phpCompareStrings, phpEmpty, phpType, pregFullMatch, utf8Binary, fromUtf8Binary } from "./php-values.ts";

describe("PHP value semantics", () => {
  it("empty() treats \"0\" and empty arrays as empty", () => {
    expect([null, undefined, false, 0, "", "0", [], {}].every(phpEmpty)).toBe(true);
    expect([" ", "00", "0.0", [0], { a: null }, true, 1].some(phpEmpty)).toBe(false);
  });

  it("names types as gettype() does", () => {
    expect([5, 1.5, "x", true, null, [], {}].map(phpType)).toEqual(["integer", "double", "string", "boolean", "NULL", "array", "array"]);
  });

  it("is_numeric() allows surrounding whitespace and exponents, not hex", () => {
    expect(["1", " 1", "1 ", "-1.5", ".5", "1.", "1e3", "+2"].every(isNumericString)).toBe(true);
    expect(["", "0x1A", "1e", "a1", ".", "1 2"].some(isNumericString)).toBe(false);
  });

  it("compares numeric strings as numbers and others bytewise (sort/ksort)", () => {
    expect(["b", "10", "a", "9", "B"].sort(phpCompareStrings)).toEqual(["9", "10", "B", "a", "b"]);
    expect(Object.keys(ksort([["z/z", 1], ["a/a", 2], ["php", 3]]))).toEqual(["a/a", "php", "z/z"]);
  });

  it("matches `$` before one final newline, as PCRE without /D does", () => {
    expect(pregFullMatch(/^[a-z]+$/, "abc\n")).toBe(true);
    expect(pregFullMatch(/^[a-z]+$/, "abc\n\n")).toBe(false);
  });

  it("converts to and from PHP's byte strings", () => {
    expect(utf8Binary("é")).toBe("\xC3\xA9");
    expect(fromUtf8Binary(utf8Binary("例え"))).toBe("例え");
  });
});
