// Which events a hook receives: a package-name filter (globs like `acme/*`, comma-separated, or
// a /regex/ that passes a safety check) and a Composer version constraint for release events.
import { parseConstraints, satisfies } from "../../composer-rules/constraints.ts";
import { badRequest } from "../../http/errors.ts";

const MAX_REGEX_LENGTH = 200;
// Polynomial backtracking grows as n^k with k unbounded quantifiers; names are <= 255 chars.
const MAX_UNBOUNDED_QUANTIFIERS = 3;

/** A saved filter: trimmed, null for "every package"; a 400 for an unsafe or invalid one. */
export function checkPackageFilter(raw: string | null | undefined): string | null {
  const filter = raw?.trim() ?? "";
  if (filter === "") return null;
  if (filter.length > 500) throw badRequest("The package filter is longer than 500 characters.");
  if (isRegexFilter(filter)) {
    const problem = unsafeRegexReason(filter.slice(1, filter.lastIndexOf("/")));
    if (problem) throw badRequest(`The package filter's regular expression is refused: ${problem}.`);
    compileFilter(filter);
  }
  return filter;
}

export function packageFilterMatches(filter: string | null, packageName: string): boolean {
  if (filter === null) return true;
  try {
    return compileFilter(filter).test(packageName);
  } catch {
    return false;
  }
}

/** A saved version constraint: null for "every version"; a 400 when Composer would not parse it. */
export function checkVersionConstraint(raw: string | null | undefined): string | null {
  const constraint = raw?.trim() ?? "";
  if (constraint === "") return null;
  try {
    parseConstraints(constraint);
  } catch (error) {
    throw badRequest(`"${constraint.slice(0, 100)}" is not a Composer version constraint: ${error instanceof Error ? error.message : "refused"}.`);
  }
  return constraint;
}

export function versionMatches(constraint: string | null, versionNormalized: string): boolean {
  if (constraint === null) return true;
  try {
    return satisfies(versionNormalized, constraint);
  } catch {
    return false;
  }
}

function isRegexFilter(filter: string): boolean {
  return /^\/.+\/i?$/s.test(filter);
}

function compileFilter(filter: string): RegExp {
  if (isRegexFilter(filter)) {
    const end = filter.lastIndexOf("/");
    return new RegExp(filter.slice(1, end), filter.slice(end + 1));
  }
  const globs = filter.split(/[,\s]+/).filter(Boolean);
  const alternatives = globs.map((glob) => glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, "."));
  return new RegExp(`^(?:${alternatives.join("|")})$`, "i");
}

/**
 * Why a regex could backtrack for a long time, or null when it is safe: no backreferences or
 * lookarounds, no quantified group that holds a quantifier or an alternation (`(a+)+`,
 * `(a|a)*`), and few unbounded quantifiers.
 */
export function unsafeRegexReason(source: string): string | null {
  if (source.length > MAX_REGEX_LENGTH) return `longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(source);
  } catch (error) {
    return error instanceof Error ? error.message : "invalid";
  }
  if (/\\[1-9]|\\k</.test(source)) return "backreferences are not allowed";
  if (/\(\?<?[=!]/.test(source)) return "lookarounds are not allowed";
  const groups: { risky: boolean }[] = [{ risky: false }];
  let unbounded = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === "\\") {
      i++;
    } else if (char === "[") {
      // A character class is one atom; skip to its closing bracket.
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (char === "(") {
      groups.push({ risky: false });
      // (?:…) and (?<name>…) open groups too; their "?" is no quantifier.
      const opener = /^\(\?(?::|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(i));
      if (opener) i += opener[0].length - 1;
    } else if (char === "|") {
      groups[groups.length - 1].risky = true;
    } else if (char === ")") {
      const group = groups.pop() ?? { risky: false };
      const quantifier = quantifierAt(source, i + 1);
      if (quantifier === "unbounded" && group.risky) return "a repeated group holds a quantifier or an alternation (catastrophic backtracking)";
      if (quantifier || group.risky) groups[groups.length - 1].risky = true;
      if (quantifier === "unbounded") unbounded++;
      if (quantifier) i++;
    } else {
      const quantifier = quantifierAt(source, i);
      if (quantifier) {
        groups[groups.length - 1].risky = true;
        if (quantifier === "unbounded") unbounded++;
      }
    }
  }
  return unbounded > MAX_UNBOUNDED_QUANTIFIERS ? `more than ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers` : null;
}

function quantifierAt(source: string, index: number): "optional" | "bounded" | "unbounded" | null {
  const char = source[index];
  if (char === "*" || char === "+") return "unbounded";
  if (char === "?") return "optional";
  if (char === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
    if (!match) return null;
    return match[2] !== undefined && match[3] === "" ? "unbounded" : Number(match[3] ?? match[1]) > 10 ? "unbounded" : "bounded";
  }
  return null;
}
