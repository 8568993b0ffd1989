import { describe, expect, it } from "vitest";
import {
  MAX_PACKAGE_NAME_LENGTH, PACKAGE_NAME_PATTERN, isPlatformPackage, isValidPackageName, packageNamingError, parsePackageName,
} from "./package-name.ts";

describe("isValidPackageName", () => {
  it.each(["acme/foo", "a/b", "acme-corp/foo_bar", "vendor.name/pkg--x", "v1/p2", "acme/foo.bar", "0/0", "a_b/c.d-e"])("accepts %s", (name) => {
    expect(isValidPackageName(name)).toBe(true);
  });

  it.each([
    "Acme/Foo", "acme/FooBar", "acme", "acme/foo/bar", "acme/-foo", "-acme/foo", "acme/foo-", "acme/foo.json",
    "con/foo", "acme/nul", "acme/LPT1", "acme/foo bar", "", "acme/foo\n", "acme/foo---bar", "ac--me/foo",
    "acme//foo", "acme/../foo", "acmé/foo", "acme/%2e%2e", "php", "ext-json", "acme/foo_", "acme/foo..bar",
  ])("rejects %j", (name) => {
    expect(isValidPackageName(name)).toBe(false);
  });

  it("caps the length at 255", () => {
    const atLimit = `acme/${"x".repeat(MAX_PACKAGE_NAME_LENGTH - 5)}`;
    expect(atLimit).toHaveLength(255);
    expect(isValidPackageName(atLimit)).toBe(true);
    expect(isValidPackageName(`${atLimit}x`)).toBe(false);
  });

  it("agrees with the documented pattern on names without reserved words", () => {
    const documented = new RegExp(PACKAGE_NAME_PATTERN);
    for (const name of ["a/b", "a-b/c--d", "a_b/c_d", "a.b/c.d", "a--b/c", "a/b---c", "a/_b", "a/b_", "ab/c-_d"]) {
      expect(isValidPackageName(name), name).toBe(documented.test(name));
    }
  });

  it("does not backtrack catastrophically", () => {
    const hostile = `${"a".repeat(200)}!/${"a".repeat(40)}`;
    const started = Date.now();
    expect(isValidPackageName(hostile)).toBe(false);
    expect(packageNamingError(`${"a-".repeat(5000)}!`)).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe("parsePackageName", () => {
  it("splits a full name or joins two parts", () => {
    expect(parsePackageName("acme/foo")).toEqual({ vendor: "acme", name: "foo", full: "acme/foo" });
    expect(parsePackageName("acme", "foo")).toEqual({ vendor: "acme", name: "foo", full: "acme/foo" });
  });

  it("returns null for anything invalid", () => {
    expect(parsePackageName("Acme", "foo")).toBeNull();
    expect(parsePackageName("acme/foo", "bar")).toBeNull();
    expect(parsePackageName("acme", "")).toBeNull();
  });
});

describe("packageNamingError (Composer's hasPackageNamingError)", () => {
  it("passes platform packages and good names", () => {
    expect(packageNamingError("php")).toBeNull();
    expect(packageNamingError("ext-intl")).toBeNull();
    expect(packageNamingError("lib-icu-uc")).toBeNull();
    expect(packageNamingError("composer-runtime-api")).toBeNull();
    expect(packageNamingError("acme/foo")).toBeNull();
    expect(isPlatformPackage("PHP-64bit")).toBe(true);
  });

  it("words errors as Composer does", () => {
    expect(packageNamingError("acme")).toBe(
      'acme is invalid, it should have a vendor name, a forward slash, and a package name. The vendor and package name can be words separated by -, . or _. The complete name should match "^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]?|-{0,2})[a-z0-9]+)*$".',
    );
    expect(packageNamingError("aux/foo")).toBe(
      "aux/foo is reserved, package and vendor names can not match any of: nul, con, prn, aux, com1, com2, com3, com4, com5, com6, com7, com8, com9, lpt1, lpt2, lpt3, lpt4, lpt5, lpt6, lpt7, lpt8, lpt9.",
    );
    expect(packageNamingError("acme/foo.json")).toBe(
      "acme/foo.json is invalid, package names can not end in .json, consider renaming it or perhaps using a -json suffix instead.",
    );
    expect(packageNamingError("Acme/FooBAR")).toBe("Acme/FooBAR is invalid, it should not contain uppercase characters. We suggest using acme/foo-bar instead.");
    expect(packageNamingError("Acme/FooBar", true)).toBe("Acme/FooBar is invalid, it should not contain uppercase characters. Please use acme/foobar instead.");
  });
});
