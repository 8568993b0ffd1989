// Port of composer/semver 3.x constraint matching and parsing:
// src/Constraint/{Constraint,MultiConstraint,MatchAllConstraint,MatchNoneConstraint}.php,
// VersionParser::parseConstraints()/parseConstraint()/manipulateVersionString() and Semver::satisfies().
// See version-parser.ts for how the PCRE patterns were translated.

import { phpVersionCompare, phpVersionCompareOp } from "./version-compare.ts";
import {
  END, DOT, WS, NOT_WS, MODIFIER_REGEX, STABILITIES_REGEX,
  VersionParseError, asciiLower, manipulateVersionString, normalize, parseStability, phpEmpty, phpTrim, pregSplit,
} from "./version-parser.ts";

export type Operator = "==" | "<" | "<=" | ">" | ">=" | "!=";
export type OperatorInput = Operator | "=" | "<>";
export type ConstraintInterface = Constraint | MultiConstraint | MatchAllConstraint | MatchNoneConstraint;

/** Wraps a normalize() failure the way parseConstraint() does ("Could not parse version constraint ..."). */
export class ConstraintParseError extends VersionParseError {
  constructor(message: string) {
    super(message);
    this.name = "ConstraintParseError";
  }
}

const OPERATORS: Readonly<Record<OperatorInput, Operator>> = {
  "=": "==", "==": "==", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "<>": "!=", "!=": "!=",
};

const isBranch = (version: string): boolean => version.startsWith("dev-");

/** PHP's `if ($this->prettyString)`: "" and "0" are falsy. */
const prettyOr = (pretty: string | null, fallback: string): string =>
  pretty !== null && pretty !== "" && pretty !== "0" ? pretty : fallback;

/** Constraint.php: one operator and one normalized version. */
export class Constraint {
  readonly operator: Operator;
  readonly version: string;
  prettyString: string | null = null;

  constructor(operator: OperatorInput, version: string) {
    const op = OPERATORS[operator];
    if (op === undefined) throw new Error(`Invalid operator "${operator}" given`);
    this.operator = op;
    this.version = version;
  }

  matches(provider: ConstraintInterface): boolean {
    if (provider instanceof Constraint) return this.matchSpecific(provider);
    return provider.matches(this); // turn matching around to find a match
  }

  /** Constraint::versionCompare(): dev- branches only compare equal to themselves. */
  static versionCompare(a: string, b: string, operator: Operator, compareBranches = false): boolean {
    const aIsBranch = isBranch(a);
    const bIsBranch = isBranch(b);
    if (operator === "!=" && (aIsBranch || bIsBranch)) return a !== b;
    if (aIsBranch && bIsBranch) return operator === "==" && a === b;
    if (!compareBranches && (aIsBranch || bIsBranch)) return false;
    return phpVersionCompareOp(a, b, operator);
  }

  /** Constraint::matchSpecific(), line for line. */
  matchSpecific(provider: Constraint, compareBranches = false): boolean {
    const noEqualOp = this.operator.replace(/=/g, "");
    const providerNoEqualOp = provider.operator.replace(/=/g, "");
    const isEqualOp = this.operator === "==";
    const isNonEqualOp = this.operator === "!=";
    const isProviderEqualOp = provider.operator === "==";
    const isProviderNonEqualOp = provider.operator === "!=";

    // '!=' matches unless the other side is '==' with the same version
    if (isNonEqualOp || isProviderNonEqualOp) {
      if (isNonEqualOp && !isProviderNonEqualOp && !isProviderEqualOp && isBranch(provider.version)) return false;
      if (isProviderNonEqualOp && !isNonEqualOp && !isEqualOp && isBranch(this.version)) return false;
      if (!isEqualOp && !isProviderEqualOp) return true;
      return Constraint.versionCompare(provider.version, this.version, "!=", compareBranches);
    }

    // e.g. <= 2.0 & < 1.0: always has a solution, unless a branch is involved
    if (!isEqualOp && noEqualOp === providerNoEqualOp) {
      return !(isBranch(this.version) || isBranch(provider.version));
    }

    const version1 = isEqualOp ? this.version : provider.version;
    const version2 = isEqualOp ? provider.version : this.version;
    const operator = isEqualOp ? provider.operator : this.operator;
    if (Constraint.versionCompare(version1, version2, operator, compareBranches)) {
      // special case, e.g. require >= 1.0 and provide < 1.0: 1.0 is outside the provided interval
      return !(provider.operator === providerNoEqualOp
        && this.operator !== noEqualOp
        && phpVersionCompare(provider.version, this.version) === 0);
    }
    return false;
  }

  toString(): string {
    return `${this.operator} ${this.version}`;
  }

  getPrettyString(): string {
    return prettyOr(this.prettyString, this.toString());
  }
}

/** MultiConstraint.php: AND (conjunctive) or OR (disjunctive) of at least two constraints. */
export class MultiConstraint {
  readonly constraints: readonly ConstraintInterface[];
  readonly conjunctive: boolean;
  prettyString: string | null = null;

  constructor(constraints: readonly ConstraintInterface[], conjunctive = true) {
    if (constraints.length < 2) throw new Error("Must provide at least two constraints for a MultiConstraint.");
    this.constraints = constraints;
    this.conjunctive = conjunctive;
  }

  matches(provider: ConstraintInterface): boolean {
    if (!this.conjunctive) return this.constraints.some((c) => provider.matches(c));
    // iterate over a disjunctive provider instead, or [>1 <2] would match [<1 || >2]
    if (provider instanceof MultiConstraint && !provider.conjunctive) return provider.matches(this);
    return this.constraints.every((c) => provider.matches(c));
  }

  toString(): string {
    return `[${this.constraints.map(String).join(this.conjunctive ? " " : " || ")}]`;
  }

  getPrettyString(): string {
    return prettyOr(this.prettyString, this.toString());
  }

  /** MultiConstraint::create(), including its one optimization (merging contiguous OR ranges). */
  static create(constraints: readonly ConstraintInterface[], conjunctive = true): ConstraintInterface {
    if (constraints.length === 0) return new MatchAllConstraint();
    if (constraints.length === 1) return constraints[0];
    const optimized = conjunctive ? null : mergeContiguousRanges(constraints);
    if (optimized !== null && optimized.length === 1) return optimized[0];
    return new MultiConstraint(optimized ?? constraints, conjunctive);
  }
}

/** Is `c` an AND of exactly [">= x", "< y"]-shaped constraints? (string test, as in PHP) */
function rangeParts(c: ConstraintInterface): readonly [string, string, ConstraintInterface, ConstraintInterface] | null {
  if (!(c instanceof MultiConstraint) || !c.conjunctive || c.constraints.length !== 2) return null;
  const low = String(c.constraints[0]);
  const high = String(c.constraints[1]);
  if (!low.startsWith(">=") || !high.startsWith("<")) return null;
  return [low, high, c.constraints[0], c.constraints[1]];
}

/** MultiConstraint::optimizeConstraints(): [>= 1 < 2] || [>= 2 < 3] => [>= 1 < 3]. */
function mergeContiguousRanges(constraints: readonly ConstraintInterface[]): ConstraintInterface[] | null {
  let left = constraints[0];
  const merged: ConstraintInterface[] = [];
  let optimized = false;
  for (let i = 1; i < constraints.length; i++) {
    const right = constraints[i];
    const l = rangeParts(left);
    const r = rangeParts(right);
    if (l !== null && r !== null && l[1].slice(2) === r[0].slice(3)) {
      optimized = true;
      left = new MultiConstraint([l[2], r[3]], true);
    } else {
      merged.push(left);
      left = right;
    }
  }
  if (!optimized) return null;
  merged.push(left);
  return merged;
}

/** MatchAllConstraint.php ("*"). */
export class MatchAllConstraint {
  prettyString: string | null = null;
  matches(_provider: ConstraintInterface): boolean {
    return true;
  }
  toString(): string {
    return "*";
  }
  getPrettyString(): string {
    return prettyOr(this.prettyString, this.toString());
  }
}

/** MatchNoneConstraint.php (never produced by the parser; kept for API parity). */
export class MatchNoneConstraint {
  prettyString: string | null = null;
  matches(_provider: ConstraintInterface): boolean {
    return false;
  }
  toString(): string {
    return "[]";
  }
  getPrettyString(): string {
    return prettyOr(this.prettyString, this.toString());
  }
}

// ---- parsing (VersionParser::parseConstraints / parseConstraint) ----

const VERSION_RE = `v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:${MODIFIER_REGEX}|\\.([xX*][.-]?dev))(?:\\+${NOT_WS}+)?`;
const OR_SPLIT_RE = new RegExp(`${WS}*\\|\\|?${WS}*`, "g");
const AND_SPLIT_RE = /(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|\n?$)/g;
const ALIAS_RE = new RegExp(`^([^,\\t\\n\\v\\f\\r ]+) +as +([^,\\t\\n\\v\\f\\r ]+)${END}`);
const STABILITY_FLAG_RE = new RegExp(`^([^,\\t\\n\\v\\f\\r ]*?)@(${STABILITIES_REGEX})${END}`, "i");
const HASH_REF_RE = new RegExp(`^(dev-[^,\\t\\n\\v\\f\\r @]+?|[^,\\t\\n\\v\\f\\r @]+?\\.x-dev)#${DOT}+${END}`, "i");
const WILDCARD_RE = new RegExp(`^(v)?[xX*](\\.[xX*])*${END}`, "i");
const TILDE_RE = new RegExp(`^~>?${VERSION_RE}${END}`, "i");
const CARET_RE = new RegExp(`^\\^${VERSION_RE}${END}`, "i");
const X_RANGE_RE = new RegExp(`^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.[xX*])+${END}`);
const HYPHEN_RE = new RegExp(`^(?<from>${VERSION_RE}) +- +(?<to>${VERSION_RE})${END}`, "i");
const BASIC_RE = new RegExp(`^(<>|!=|>=?|<=?|==?)?${WS}*(${DOT}*)`);
const BRANCH_LIKE_RE = new RegExp(`^[0-9a-zA-Z\\-./]+${END}`);
const HAS_MODIFIER_RE = new RegExp(`-${MODIFIER_REGEX}${END}`);

const present = (s: string | undefined): boolean => s !== undefined && s !== "";

/** VersionParser::parseConstraint(): one AND-part, e.g. "^1.2", ">=1.0@beta", "1.0 - 2.0". */
function parseConstraint(input: string): ConstraintInterface[] {
  let constraint = input;
  let stabilityModifier: string | null = null;

  const alias = ALIAS_RE.exec(constraint);
  if (alias) constraint = alias[1];

  const flag = STABILITY_FLAG_RE.exec(constraint);
  if (flag) {
    constraint = flag[1] !== "" ? flag[1] : "*";
    if (flag[2] !== "stable") stabilityModifier = flag[2];
  }

  const ref = HASH_REF_RE.exec(constraint); // #refs are for Composer only
  if (ref) constraint = ref[1];

  const wildcard = WILDCARD_RE.exec(constraint);
  if (wildcard) {
    if (!phpEmpty(wildcard[1]) || !phpEmpty(wildcard[2])) return [new Constraint(">=", "0.0.0.0-dev")];
    return [new MatchAllConstraint()];
  }

  // Tilde range: ~1.2 => >=1.2.0.0-dev <2.0.0.0-dev
  let m = TILDE_RE.exec(constraint);
  if (m) {
    if (constraint.startsWith("~>")) {
      throw new VersionParseError(`Could not parse version constraint ${constraint}: Invalid operator "~>", you probably meant to use the "~" operator`);
    }
    let position = present(m[4]) ? 4 : present(m[3]) ? 3 : present(m[2]) ? 2 : 1;
    if (!phpEmpty(m[8])) position++; // 2.x-dev / 3.0.x-dev shift one more
    const suffix = phpEmpty(m[5]) && phpEmpty(m[7]) && phpEmpty(m[8]) ? "-dev" : "";
    const low = normalize((constraint + suffix).slice(1));
    const high = `${manipulateVersionString(m, Math.max(1, position - 1), 1)}-dev`;
    return [new Constraint(">=", low), new Constraint("<", high)];
  }

  // Caret range: the left-most non-zero part of [major, minor, patch] is fixed
  m = CARET_RE.exec(constraint);
  if (m) {
    const position = m[1] !== "0" || !present(m[2]) ? 1 : m[2] !== "0" || !present(m[3]) ? 2 : 3;
    const suffix = phpEmpty(m[5]) && phpEmpty(m[7]) && phpEmpty(m[8]) ? "-dev" : "";
    const low = normalize((constraint + suffix).slice(1));
    const high = `${manipulateVersionString(m, position, 1)}-dev`;
    return [new Constraint(">=", low), new Constraint("<", high)];
  }

  // X range: 1.2.* => >=1.2.0.0-dev <1.3.0.0-dev
  m = X_RANGE_RE.exec(constraint);
  if (m) {
    const position = present(m[3]) ? 3 : present(m[2]) ? 2 : 1;
    const low = `${manipulateVersionString(m, position)}-dev`;
    const high = `${manipulateVersionString(m, position, 1)}-dev`;
    if (low === "0.0.0.0-dev") return [new Constraint("<", high)];
    return [new Constraint(">=", low), new Constraint("<", high)];
  }

  // Hyphen range: inclusive; a partial upper bound accepts everything it prefixes
  m = HYPHEN_RE.exec(constraint);
  if (m) {
    const from = m.groups?.from ?? "";
    const to = m.groups?.to ?? "";
    const lowSuffix = phpEmpty(m[6]) && phpEmpty(m[8]) && phpEmpty(m[9]) ? "-dev" : "";
    const lower = new Constraint(">=", normalize(from) + lowSuffix);
    const empty = (x: string | undefined): boolean => x === undefined || x === ""; // "0" counts as set here
    if ((!empty(m[12]) && !empty(m[13])) || !phpEmpty(m[15]) || !phpEmpty(m[17]) || !phpEmpty(m[18])) {
      return [lower, new Constraint("<=", normalize(to))];
    }
    normalize(to); // validate the upper version
    const high = manipulateVersionString(["", m[11], m[12], m[13], m[14]], empty(m[12]) ? 1 : 2, 1);
    return [lower, new Constraint("<", `${high}-dev`)];
  }

  return [parseBasicComparator(constraint, stabilityModifier)];
}

/** The "Basic Comparators" tail of parseConstraint(): [op] version, or a wrapped parse error. */
function parseBasicComparator(constraint: string, stabilityModifier: string | null): Constraint {
  const m = BASIC_RE.exec(constraint) ?? ["", undefined, ""];
  const op = m[1] ?? "";
  const target = m[2] ?? "";
  try {
    let version: string;
    try {
      version = normalize(target);
    } catch (e) {
      // recover from foobar-dev, which should be dev-foobar
      if (!(e instanceof VersionParseError) || target.slice(-4) !== "-dev" || !BRANCH_LIKE_RE.test(target)) throw e;
      version = normalize(`dev-${target.slice(0, -4)}`);
    }
    const operator: OperatorInput = op === "" ? "=" : (op as OperatorInput);
    if (operator !== "==" && operator !== "=" && !phpEmpty(stabilityModifier ?? undefined) && parseStability(version) === "stable") {
      version += `-${stabilityModifier}`;
    } else if ((operator === "<" || operator === ">=") && !HAS_MODIFIER_RE.test(asciiLower(target)) && !target.startsWith("dev-")) {
      version += "-dev";
    }
    return new Constraint(operator, version);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConstraintParseError(`Could not parse version constraint ${constraint}: ${reason}`);
  }
}

/** VersionParser::parseConstraints(): "^1.0 || ~2.3, !=2.3.4" → constraint tree. */
export function parseConstraints(constraints: string): ConstraintInterface {
  const pretty = String(constraints);
  const orGroups: ConstraintInterface[] = [];
  for (const orPart of pregSplit(OR_SPLIT_RE, phpTrim(pretty))) {
    const andParts = pregSplit(AND_SPLIT_RE, orPart);
    const parsed = andParts.length > 1 ? andParts.flatMap(parseConstraint) : parseConstraint(andParts[0]);
    orGroups.push(parsed.length === 1 ? parsed[0] : new MultiConstraint(parsed));
  }
  const result = MultiConstraint.create(orGroups, false);
  result.prettyString = pretty;
  return result;
}

/** Semver::satisfies(): does `version` match `constraints`? Throws VersionParseError on bad input. */
export function satisfies(version: string, constraints: string): boolean {
  const provider = new Constraint("==", normalize(version));
  return parseConstraints(constraints).matches(provider);
}

/** Semver::satisfiedBy(): the versions (in input order) that satisfy `constraints`. */
export function satisfiedBy(versions: readonly string[], constraints: string): string[] {
  return versions.filter((v) => satisfies(v, constraints));
}
