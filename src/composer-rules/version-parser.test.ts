import { describe, it, expect } from "vitest";
import {
  VersionParseError, normalize, normalizeBranch, normalizeDefaultBranch, normalizeStability,
  parseNumericAliasPrefix, parseStability,
} from "./version-parser.ts";

// Cases from composer/semver's tests/VersionParserTest.php (confirmed against composer/semver 3.3 on PHP 8.2).
describe("normalize", () => {
  it.each([
    ["1.0.0", "1.0.0.0"],
    ["1.2.3.4", "1.2.3.4"],
    ["1.0.0RC1dev", "1.0.0.0-RC1-dev"],
    ["1.0.0-rC15-dev", "1.0.0.0-RC15-dev"],
    ["1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"],
    ["1.0.0-rc1", "1.0.0.0-RC1"],
    ["1.0.0.pl3-dev", "1.0.0.0-patch3-dev"],
    ["1.0-dev", "1.0.0.0-dev"],
    ["0", "0.0.0.0"],
    ["10.4.13-beta", "10.4.13.0-beta"],
    ["10.4.13beta2", "10.4.13.0-beta2"],
    ["10.4.13beta.2", "10.4.13.0-beta2"],
    ["v1.13.11-beta.0", "1.13.11.0-beta0"],
    ["1.13.11.0-beta0", "1.13.11.0-beta0"],
    ["10.4.13-b", "10.4.13.0-beta"],
    ["10.4.13-b5", "10.4.13.0-beta5"],
    ["v1.0.0", "1.0.0.0"],
    ["2010.01", "2010.01.0.0"],
    ["2010.01.02", "2010.01.02.0"],
    ["2010.1.555", "2010.1.555.0"],
    ["2010.10.200", "2010.10.200.0"],
    ["v20100102", "20100102"],
    ["2010-01-02", "2010.01.02"],
    ["2012.06.07", "2012.06.07.0"],
    ["2010-01-02.5", "2010.01.02.5"],
    ["20100102-203040", "20100102.203040"],
    ["20100102.x-dev", "20100102.9999999.9999999.9999999-dev"],
    ["20100102.203040.x-dev", "20100102.203040.9999999.9999999-dev"],
    ["20100102203040-10", "20100102203040.10"],
    ["20100102-203040-p1", "20100102.203040-patch1"],
    ["201903.0", "201903.0"],
    ["201903.x-dev", "201903.9999999.9999999.9999999-dev"],
    ["201903.0-p2", "201903.0-patch2"],
    ["dev-master", "dev-master"],
    ["master", "dev-master"],
    ["dev-trunk", "dev-trunk"],
    ["1.x-dev", "1.9999999.9999999.9999999-dev"],
    ["dev-feature-foo", "dev-feature-foo"],
    ["DEV-FOOBAR", "dev-FOOBAR"],
    ["dev-feature/foo", "dev-feature/foo"],
    ["dev-feature+issue-1", "dev-feature+issue-1"],
    ["dev-master as 1.0.0", "dev-master"],
    ["dev-load-varnish-only-when-used as ^2.0", "dev-load-varnish-only-when-used"],
    ["dev-load-varnish-only-when-used@dev as ^2.0@dev", "dev-load-varnish-only-when-used"],
    ["1.0.0+foo@dev", "1.0.0.0"],
    ["dev-load-varnish-only-when-used@stable", "dev-load-varnish-only-when-used"],
    ["1.0.0-beta.5+foo", "1.0.0.0-beta5"],
    ["1.0.0+foo", "1.0.0.0"],
    ["1.0.0-alpha.3.1+foo", "1.0.0.0-alpha3.1"],
    ["1.0.0-alpha2.1+foo", "1.0.0.0-alpha2.1"],
    ["1.0.0-alpha-2.1-3+foo", "1.0.0.0-alpha2.1-3"],
    ["1.0.0+foo as 2.0", "1.0.0.0"],
    ["00.01.03.04", "00.01.03.04"],
    ["000.001.003.004", "000.001.003.004"],
    ["0.000.103.204", "0.000.103.204"],
    ["0700", "0700.0.0.0"],
    ["041.x-dev", "041.9999999.9999999.9999999-dev"],
    ["dev-041.003", "dev-041.003"],
    ["dev-1.0.0-dev<1.0.5-dev", "dev-1.0.0-dev<1.0.5-dev"],
    ["dev-foo bar", "dev-foo bar"],
    [" 1.0.0", "1.0.0.0"],
    ["1.0.0 ", "1.0.0.0"],
    ["1.0.0-stable", "1.0.0.0"],
    ["1.0-Stable", "1.0.0.0-stable"], // the "stable" short-circuit is case-sensitive
    ["1.0\n@dev", "1.0.0.0"], // PCRE "$" also matches before a final newline
  ])("normalize(%j) = %j", (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it.each([
    "", "a", "1.0.0-meh", "1.0.0.0.0", "feature-foo", "1.0.0+foo bar", "1.0.1-SNAPSHOT", "1.0.0<1.0.5-dev",
    "1.0.0-dev<1.0.5-dev", "foo bar-dev", "1.0 .2", " as ", " as 1.2", "^", "^8 || ^", "~", "~1 ~", "~1", "^1", "1.*",
    "1.0.0\u00a0", // PHP's trim() leaves a no-break space alone
  ])("normalize(%j) throws", (input) => {
    expect(() => normalize(input)).toThrow(VersionParseError);
  });

  it("uses Composer's messages", () => {
    expect(() => normalize(" foo ")).toThrow('Invalid version string "foo"');
    expect(() => normalize("foo as 1.0.0")).toThrow(
      'Invalid version string "foo as 1.0.0" in "foo as 1.0.0", the alias source must be an exact version, if it is a branch name you should prefix it with dev-',
    );
    expect(() => normalize("foo", "1.0 as foo")).toThrow('Invalid version string "foo" in "1.0 as foo", the alias must be an exact version');
  });
});

describe("normalizeBranch", () => {
  it.each([
    ["v1.x", "1.9999999.9999999.9999999-dev"],
    ["v1.*", "1.9999999.9999999.9999999-dev"],
    ["v1.0", "1.0.9999999.9999999-dev"],
    ["2.0", "2.0.9999999.9999999-dev"],
    ["v1.0.x", "1.0.9999999.9999999-dev"],
    ["v1.0.3.*", "1.0.3.9999999-dev"],
    ["v2.4.0", "2.4.0.9999999-dev"],
    ["2.4.4", "2.4.4.9999999-dev"],
    ["master", "dev-master"],
    ["trunk", "dev-trunk"],
    ["feature-a", "dev-feature-a"],
    ["FOOBAR", "dev-FOOBAR"],
    ["feature+issue-1", "dev-feature+issue-1"],
  ])("normalizeBranch(%j) = %j", (input, expected) => {
    expect(normalizeBranch(input)).toBe(expected);
  });
});

describe("normalizeDefaultBranch", () => {
  it.each([
    ["dev-master", "9999999-dev"],
    ["dev-default", "9999999-dev"],
    ["dev-trunk", "9999999-dev"],
    ["dev-main", "dev-main"],
    ["1.0.0.0", "1.0.0.0"],
  ])("normalizeDefaultBranch(%j) = %j", (input, expected) => {
    expect(normalizeDefaultBranch(input)).toBe(expected);
  });
});

describe("parseStability", () => {
  it.each([
    ["stable", "1"], ["stable", "1.0"], ["stable", "3.2.1"], ["stable", "v3.2.1"],
    ["dev", "v2.0.x-dev"], ["dev", "v2.0.x-dev#abc123"], ["dev", "v2.0.x-dev#trunk/@123"],
    ["RC", "3.0-RC2"], ["dev", "dev-master"], ["dev", "3.1.2-dev"], ["dev", "dev-feature+issue-1"],
    ["stable", "3.1.2-p1"], ["stable", "3.1.2-pl2"], ["stable", "3.1.2-patch"], ["alpha", "3.1.2-alpha5"],
    ["beta", "3.1.2-beta"], ["beta", "2.0B1"], ["alpha", "1.2.0a1"], ["alpha", "1.2_a1"], ["RC", "2.0.0rc1"],
    ["alpha", "1.0.0-alpha11+cf1fe3c"], ["RC", "1.0.0-rc"], ["stable", "1.0.0+build.1"], ["dev", "v1.0.0-dev"],
    ["dev", "1.0.0.0-beta2-dev"],
  ])("%s: %j", (expected, version) => {
    expect(parseStability(version)).toBe(expected);
  });
});

describe("normalizeStability", () => {
  it.each([["rc", "RC"], ["RC", "RC"], ["Beta", "beta"], ["DEV", "dev"]])("%j -> %j", (input, expected) => {
    expect(normalizeStability(input)).toBe(expected);
  });
});

describe("parseNumericAliasPrefix", () => {
  it.each([
    ["0.x-dev", "0."], ["1.0.x-dev", "1.0."], ["1.x-dev", "1."], ["1.2.x-dev", "1.2."], ["1.2-dev", "1.2."],
    ["1-dev", "1."], ["dev-develop", false], ["dev-master", false], ["1.2.3", false],
  ] as const)("parseNumericAliasPrefix(%j) = %j", (input, expected) => {
    expect(parseNumericAliasPrefix(input)).toBe(expected);
  });
});
