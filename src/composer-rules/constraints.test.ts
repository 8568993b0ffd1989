import { describe, it, expect } from "vitest";
import {
  Constraint, ConstraintParseError, MatchAllConstraint, MatchNoneConstraint, MultiConstraint,
  parseConstraints, satisfiedBy, satisfies,
} from "./constraints.ts";
import type { OperatorInput } from "./constraints.ts";
import { VersionParseError } from "./version-parser.ts";

// Cases from composer/semver's VersionParserTest, ConstraintTest and SemverTest
// (expected values confirmed against composer/semver 3.3 on PHP 8.2).
describe("parseConstraints", () => {
  it.each([
    ["*", "*"], ["*.*", ">= 0.0.0.0-dev"], ["v*", ">= 0.0.0.0-dev"], ["x.X.x.*", ">= 0.0.0.0-dev"],
    ["<>1.0.0", "!= 1.0.0.0"], ["!=1.0.0", "!= 1.0.0.0"], [">1.0.0", "> 1.0.0.0"], ["<1.2.3.4", "< 1.2.3.4-dev"],
    ["<=1.2.3", "<= 1.2.3.0"], [">=1.2.3", ">= 1.2.3.0-dev"], ["=1.2.3", "== 1.2.3.0"], ["==1.2.3", "== 1.2.3.0"],
    ["1.2.3", "== 1.2.3.0"], ["1.2.3b5", "== 1.2.3.0-beta5"], ["1.2.3a1", "== 1.2.3.0-alpha1"],
    ["1.2.3p1234", "== 1.2.3.0-patch1234"], ["1.2.3pl1234", "== 1.2.3.0-patch1234"], [">= 1.2.3", ">= 1.2.3.0-dev"],
    [">=dev-master", ">= dev-master"], ["dev-master", "== dev-master"], ["dev-feature-a", "== dev-feature-a"],
    ["dev-master as 1.0.0", "== dev-master"], ["<1.2.3.4-stable", "< 1.2.3.4"], ["<=3.0@dev", "<= 3.0.0.0-dev"],
    ["1.0.x-dev#abcd123", "== 1.0.9999999.9999999-dev"], ["1.0.x-dev#trunk/@123", "== 1.0.9999999.9999999-dev"],
    ["1.0.0-beta.5+foo", "== 1.0.0.0-beta5"], [">=2.0-alpha", ">= 2.0.0.0-alpha"], [">=2.0-patch", ">= 2.0.0.0-patch"],
    ["foobar-dev", "== dev-foobar"], [">=1.0@beta", ">= 1.0.0.0-beta"], ["1.0.x-dev as 1.0.0", "== 1.0.9999999.9999999-dev"],
    // wildcards
    ["2.*", "[>= 2.0.0.0-dev < 3.0.0.0-dev]"], ["2.*.*", "[>= 2.0.0.0-dev < 3.0.0.0-dev]"],
    ["20.*", "[>= 20.0.0.0-dev < 21.0.0.0-dev]"], ["2.0.*", "[>= 2.0.0.0-dev < 2.1.0.0-dev]"],
    ["2.x", "[>= 2.0.0.0-dev < 3.0.0.0-dev]"], ["2.2.x", "[>= 2.2.0.0-dev < 2.3.0.0-dev]"],
    ["2.10.X", "[>= 2.10.0.0-dev < 2.11.0.0-dev]"], ["2.1.3.*", "[>= 2.1.3.0-dev < 2.1.4.0-dev]"],
    ["0.*", "< 1.0.0.0-dev"], ["0.x", "< 1.0.0.0-dev"],
    // tilde
    ["~1", "[>= 1.0.0.0-dev < 2.0.0.0-dev]"], ["~1.0", "[>= 1.0.0.0-dev < 2.0.0.0-dev]"],
    ["~1.0.0", "[>= 1.0.0.0-dev < 1.1.0.0-dev]"], ["~1.2", "[>= 1.2.0.0-dev < 2.0.0.0-dev]"],
    ["~1.2.3", "[>= 1.2.3.0-dev < 1.3.0.0-dev]"], ["~1.2.3.4", "[>= 1.2.3.4-dev < 1.2.4.0-dev]"],
    ["~1.2-beta", "[>= 1.2.0.0-beta < 2.0.0.0-dev]"], ["~1.2-b2", "[>= 1.2.0.0-beta2 < 2.0.0.0-dev]"],
    ["~1.2-BETA2", "[>= 1.2.0.0-beta2 < 2.0.0.0-dev]"], ["~1.2.2-dev", "[>= 1.2.2.0-dev < 1.3.0.0-dev]"],
    ["~1.2.2-stable", "[>= 1.2.2.0 < 1.3.0.0-dev]"], ["~1.2.x-dev", "[>= 1.2.9999999.9999999-dev < 1.3.0.0-dev]"],
    ["~2.x-dev", "[>= 2.9999999.9999999.9999999-dev < 3.0.0.0-dev]"],
    // caret
    ["^1", "[>= 1.0.0.0-dev < 2.0.0.0-dev]"], ["^0", "[>= 0.0.0.0-dev < 1.0.0.0-dev]"],
    ["^0.0", "[>= 0.0.0.0-dev < 0.1.0.0-dev]"], ["^1.2", "[>= 1.2.0.0-dev < 2.0.0.0-dev]"],
    ["^1.2.3-beta.2", "[>= 1.2.3.0-beta2 < 2.0.0.0-dev]"], ["^1.2.3.4", "[>= 1.2.3.4-dev < 2.0.0.0-dev]"],
    ["^0.2.3", "[>= 0.2.3.0-dev < 0.3.0.0-dev]"], ["^0.2", "[>= 0.2.0.0-dev < 0.3.0.0-dev]"],
    ["^0.0.3", "[>= 0.0.3.0-dev < 0.0.4.0-dev]"], ["^0.0.3-alpha", "[>= 0.0.3.0-alpha < 0.0.4.0-dev]"],
    ["^0.0-dev", "[>= 0.0.0.0-dev < 0.1.0.0-dev]"], ["^1.x-dev", "[>= 1.9999999.9999999.9999999-dev < 2.0.0.0-dev]"],
    ["^0.3.x-dev", "[>= 0.3.9999999.9999999-dev < 0.4.0.0-dev]"], ["^1.2-beta", "[>= 1.2.0.0-beta < 2.0.0.0-dev]"],
    ["^1.2.3+build", "[>= 1.2.3.0 < 2.0.0.0-dev]"],
    ["^0.99999999999999999999", "[>= 0.99999999999999999999.0.0-dev < 0.1.0E+20.0.0-dev]"], // PHP int overflow → float
    // hyphen ranges
    ["1 - 2", "[>= 1.0.0.0-dev < 3.0.0.0-dev]"], ["1.2.3 - 2.3.4.5", "[>= 1.2.3.0-dev <= 2.3.4.5]"],
    ["1.2-beta - 2.3", "[>= 1.2.0.0-beta < 2.4.0.0-dev]"], ["1.2-beta - 2.3-dev", "[>= 1.2.0.0-beta <= 2.3.0.0-dev]"],
    ["1.2-RC - 2.3.1", "[>= 1.2.0.0-RC <= 2.3.1.0]"], ["1.2.3-alpha - 2.3-RC", "[>= 1.2.3.0-alpha <= 2.3.0.0-RC]"],
    ["1 - 2.0", "[>= 1.0.0.0-dev < 2.1.0.0-dev]"], ["1 - 2.1", "[>= 1.0.0.0-dev < 2.2.0.0-dev]"],
    ["1.2 - 2.1.0", "[>= 1.2.0.0-dev <= 2.1.0.0]"], ["1.3 - 2.1.3", "[>= 1.3.0.0-dev <= 2.1.3.0]"],
    // multi constraints
    [">2.0,<=3.0", "[> 2.0.0.0 <= 3.0.0.0]"], [">2.0@stable,<=3.0@dev", "[> 2.0.0.0 <= 3.0.0.0-dev]"],
    [">=2.0 <3.0", "[>= 2.0.0.0-dev < 3.0.0.0-dev]"], [">2.0 || <=3.0", "[> 2.0.0.0 || <= 3.0.0.0]"],
    [">2.0 | <=3.0", "[> 2.0.0.0 || <= 3.0.0.0]"],
    ["^1.0 || ^2.0", "[>= 1.0.0.0-dev < 3.0.0.0-dev]"], // contiguous OR ranges are merged
    [">=1 <2 || >=2 <3", "[>= 1.0.0.0-dev < 3.0.0.0-dev]"],
    ["dev-foo#", "== dev-foo#"],
  ])("parseConstraints(%j) = %j", (input, expected) => {
    const parsed = parseConstraints(input);
    expect(String(parsed)).toBe(expected);
    expect(parsed.getPrettyString()).toBe(input);
  });

  it.each([
    ['"', 'Could not parse version constraint ": Invalid version string """'],
    ["a", 'Could not parse version constraint a: Invalid version string "a"'],
    ["1.0.0-meh", 'Could not parse version constraint 1.0.0-meh: Invalid version string "1.0.0-meh"'],
    [">2.0,,<=3.0", 'Could not parse version constraint >2.0,,<=3.0: Invalid version string "2.0,,<=3.0"'],
    [">2.0 ,, <=3.0", 'Could not parse version constraint >2.0 ,, <=3.0: Invalid version string "2.0 ,, <=3.0"'],
    [">2.0 ||| <=3.0", 'Could not parse version constraint : Invalid version string ""'],
    ["~>1.2", 'Could not parse version constraint ~>1.2: Invalid operator "~>", you probably meant to use the "~" operator'],
    ["^", 'Could not parse version constraint ^: Invalid version string "^"'],
    ["^8 || ^", 'Could not parse version constraint ^: Invalid version string "^"'],
    ["~1 ~", 'Could not parse version constraint ~: Invalid version string "~"'],
    ["foo bar", 'Could not parse version constraint foo: Invalid version string "foo"'],
    [">", 'Could not parse version constraint >: Invalid version string ""'],
    ["1.2 -", 'Could not parse version constraint 1.2 -: Invalid version string "1.2 -"'],
    ["1.0 - 2.0@dev", 'Could not parse version constraint 1.0 - 2.0@dev: Invalid version string "1.0 - 2.0@dev"'],
  ])("parseConstraints(%j) throws %j", (input, message) => {
    expect(() => parseConstraints(input)).toThrow(VersionParseError);
    expect(() => parseConstraints(input)).toThrow(message);
  });

  it("wraps normalize() failures in ConstraintParseError", () => {
    expect(() => parseConstraints("foo")).toThrow(ConstraintParseError);
  });
});

describe("Constraint.matches (ConstraintTest)", () => {
  const c = (op: OperatorInput, version: string): Constraint => new Constraint(op, version);
  it.each([
    ["==", "1", "==", "1", true], [">=", "1", ">=", "2", true], [">=", "2", ">=", "1", true], [">=", "2", ">", "1", true],
    ["<=", "2", ">=", "1", true], [">=", "1", "<=", "2", true], ["==", "2", ">=", "2", true], ["!=", "1", "!=", "1", true],
    ["!=", "1", "==", "2", true], ["!=", "1", "<", "1", true], ["!=", "1", "<=", "1", true], ["!=", "1", ">", "1", true],
    ["!=", "1", ">=", "1", true], ["==", "dev-foo-bar", "==", "dev-foo-bar", true],
    ["==", "dev-events+issue-17", "==", "dev-events+issue-17", true], ["!=", "dev-foo-bar", "==", "dev-foo-xyz", true],
    ["!=", "dev-foo-bar", "!=", "dev-foo-xyz", true], ["<=", "1.0.0.0", "==", "1.0.0.0-dev", true],
    [">=", "dev-foo-bar", ">=", "dev-foo-xyz", false], ["<=", "dev-foo-bar", "<", "dev-foo-xyz", false],
    ["!=", "dev-foo-bar", "<", "dev-foo-xyz", false], [">=", "dev-foo-bar", "!=", "dev-foo-bar", false],
    ["==", "1", "==", "2", false], [">=", "2", "<=", "1", false], [">=", "2", "<", "2", false], ["<=", "2", ">", "2", false],
    [">", "2", "<=", "2", false], ["<=", "1", ">=", "2", false], ["==", "2", "<", "2", false], ["!=", "1", "==", "1", false],
    ["==", "1", "!=", "1", false], ["==", "dev-foo-dist", "==", "dev-foo-zist", false], ["==", "dev-foo", "<", "dev-foo", false],
    ["<", "dev-foo", "==", "1.0", false], ["==", "1.0", ">", "dev-foo", false], [">", "1.0", "==", "dev-foo", false],
  ] as const)("%s %s matches %s %s: %s", (op1, v1, op2, v2, expected) => {
    expect(c(op1, v1).matches(c(op2, v2))).toBe(expected);
  });

  it("normalizes operator spellings", () => {
    expect(String(c("=", "1.0.0.0"))).toBe("== 1.0.0.0");
    expect(String(c("<>", "1.0.0.0"))).toBe("!= 1.0.0.0");
  });

  it("supports MatchAll, MatchNone and MultiConstraint", () => {
    const provider = c("==", "1.5.0.0");
    expect(new MatchAllConstraint().matches(provider)).toBe(true);
    expect(new MatchNoneConstraint().matches(provider)).toBe(false);
    expect(new MultiConstraint([c(">", "1.0.0.0"), c("<", "2.0.0.0")]).matches(provider)).toBe(true);
    expect(new MultiConstraint([c("<", "1.0.0.0"), c(">", "2.0.0.0")], false).matches(provider)).toBe(false);
    // a conjunctive range must not match a disjunctive one made of pieces outside it
    const between = new MultiConstraint([c(">", "1.0.0.0"), c("<", "2.0.0.0")]);
    expect(between.matches(new MultiConstraint([c("<", "1.0.0.0"), c(">", "2.0.0.0")], false))).toBe(false);
    expect(() => new MultiConstraint([provider])).toThrow();
  });
});

describe("satisfies (SemverTest)", () => {
  it.each([
    ["1.2.3", "1.0.0 - 2.0.0", true], ["1.2.3", "^1.2.3+build", true], ["1.3.0", "^1.2.3+build", true],
    ["1.0.0", "1.0.0", true], ["1.2.3", "*", true], ["v1.2.3", "*", true], ["1.2.3", ">=1.2.3", true],
    ["1.2.3", ">=1.2.3@beta", true], ["1.2.3-beta", ">=1.2.3@beta", true], ["1.2.3-beta", ">=1.2.3", true],
    ["1.2.3-beta", "^1.2", true], ["1.2.3-beta", "^1.2@beta", true], ["0.9", "<1", true],
    ["2.0.0", "~1.0 || ^2.0", true], ["1.9.9", "~1.0 || ^2.0", true], ["1.5.1", ">=1.0,<2.0 , !=1.5", true],
    ["dev-master", "dev-master", true], ["dev-master", "*", true], ["dev-master", "!=dev-foo", true],
    ["1.0.x-dev", "1.0.*", true], ["1.0.x-dev", "^1.0@dev", true], ["1.x-dev", "^1.0", true],
    ["2.0.0-RC1", "^2.0@RC", true], ["2.0.0-RC1", "^2.0", true], ["0.0.3", "^0.0.3", true], ["0.2.9", "^0.2.3", true],
    ["1.2.3.4", "~1.2.3.4", true], ["dev-foo", "foo-dev", true], ["1.0.0", "1.0.0 as 2.0.0", true],
    ["1.0.0+build.5", "1.0.0", true],
    ["2.2.3", "1.0.0 - 2.0.0", false], ["1.0.0", "^1.2.3+build", false], ["1.2.0", "^1.2.3+build", false],
    ["1.0.0beta", "1", false], ["1.0.0", "<1", false], ["1.0.0-dev", "<1", false], ["3.0.0", "~1.0 || ^2.0", false],
    ["1.5.0", ">=1.0,<2.0 , !=1.5", false], ["dev-master", ">=1.0", false], ["0.0.4", "^0.0.3", false],
    ["0.3.0", "^0.2.3", false], ["1.2.4.0", "~1.2.3.4", false], ["2.0.0", "1.0.0 as 2.0.0", false],
  ] as const)("satisfies(%j, %j) = %s", (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });

  it("throws on an invalid version or constraint", () => {
    expect(() => satisfies("foo", "*")).toThrow(VersionParseError);
    expect(() => satisfies("1.0", "foo")).toThrow(VersionParseError);
  });

  it("satisfiedBy keeps the matching versions in order", () => {
    expect(satisfiedBy(["1.0", "1.2", "1.9999.9999", "2.0", "2.1", "0.9999.9999"], "~1.0")).toEqual(["1.0", "1.2", "1.9999.9999"]);
  });
});
