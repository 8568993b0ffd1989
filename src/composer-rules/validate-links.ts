// ValidatingArrayLoader's link checks (require, conflict, provide, replace, require-dev, suggest)
// with the unbound/exact-constraint warnings its flags ask for, and its branch-alias checks.
// composer/composer src/Composer/Package/Loader/ValidatingArrayLoader.php, load().
import { Constraint, parseConstraints, type ConstraintInterface } from "./constraints.ts";
import { asciiLower, isPlatformPackage, packageNamingError } from "./package-name.ts";
import { isJsonObject, isPhpArray, isSet, phpEntries, phpType, type JsonObject, type PhpArray } from "./php-values.ts";
import { compact, unsetKey, type Checker } from "./validate-checker.ts";
import { normalizeBranch, parseNumericAliasPrefix } from "./version-parser.ts";

/** BasePackage::$supportedLinkTypes, in Composer's order (which decides error order). */
export const LINK_TYPES = ["require", "conflict", "provide", "replace", "require-dev"] as const;

/** ValidatingArrayLoader::CHECK_* flags. */
export const CHECK_UNBOUND_CONSTRAINTS = 1;
export const CHECK_STRICT_CONSTRAINTS = 2;
export const CHECK_ALL = CHECK_UNBOUND_CONSTRAINTS | CHECK_STRICT_CONSTRAINTS;

const UNBOUND = new Constraint("=", "10000000-dev");
const AT_LEAST_ONE = new Constraint(">=", "1.0.0.0-dev");

export function checkLinks(v: Checker, flags: number): void {
  const name = v.get("name");
  for (const linkType of LINK_TYPES) {
    if (!v.validateArray(linkType)) continue;
    // Links are a map; as an object, unset() entries simply go away.
    const links: JsonObject = Object.fromEntries(phpEntries(v.get(linkType) as PhpArray));
    v.config[linkType] = links;
    for (const [target, constraint] of phpEntries(links)) {
      if (typeof name === "string" && asciiLower(target) === asciiLower(name)) {
        v.error(`${linkType}.${target} : a package cannot set a ${linkType} on itself`);
        unsetKey(links, target);
        continue;
      }
      const namingError = packageNamingError(target, true);
      if (namingError) v.warn(`${linkType}.${namingError}`);
      else if (!/^[A-Za-z0-9_./-]+$/.test(target)) {
        v.error(`${linkType}.${target} : invalid key, package names must be strings containing only [A-Za-z0-9_./-]`);
      }
      if (typeof constraint !== "string") {
        v.error(`${linkType}.${target} : invalid value, must be a string containing a version constraint`);
        unsetKey(links, target);
      } else if (constraint !== "self.version") {
        let parsed: ConstraintInterface;
        try {
          parsed = parseConstraints(constraint);
        } catch (e) {
          v.error(`${linkType}.${target} : invalid version constraint (${e instanceof Error ? e.message : String(e)})`);
          unsetKey(links, target);
          continue;
        }
        warnAboutLooseOrExact(v, flags, linkType, target, constraint, parsed);
      }
      if (linkType === "conflict" && conflictsWithReplace(v)) {
        v.error(`${linkType}.${target} : you cannot conflict with a package that is also replaced, as replace already creates an implicit conflict rule`);
        unsetKey(links, target);
      }
    }
    // Package::setRequires() & co. take a list-like array (key 0) for a deprecated call and
    // trigger_error(), which Composer's ErrorHandler makes fatal: such links cannot be loaded.
    if (Object.hasOwn(links, "0")) {
      v.error(`${linkType}.0 : invalid key, a link needs a package name, not a list index`);
    }
  }
}

/** CHECK_UNBOUND_CONSTRAINTS and CHECK_STRICT_CONSTRAINTS: warnings only when the flag is set. */
function warnAboutLooseOrExact(v: Checker, flags: number, linkType: string, target: string, pretty: string, parsed: ConstraintInterface): void {
  if (linkType !== "require") return;
  if ((flags & CHECK_UNBOUND_CONSTRAINTS) !== 0 && parsed.matches(UNBOUND) && !isPlatformPackage(target)) {
    v.warn(`${linkType}.${target} : unbound version constraints (${pretty}) should be avoided`);
  } else if ((flags & CHECK_STRICT_CONSTRAINTS) !== 0 && parsed instanceof Constraint && parsed.operator === "==" && AT_LEAST_ONE.matches(parsed)) {
    v.warn(`${linkType}.${target} : exact version constraints (${pretty}) should be avoided if the package follows semantic versioning`);
  }
}

/** array_intersect_key($config['replace'], $config['conflict']) is non-empty. */
function conflictsWithReplace(v: Checker): boolean {
  const replace = v.get("replace");
  const conflict = v.get("conflict");
  // A non-array replace crashes Composer here; it is reported as an error when replace is checked.
  if (!isPhpArray(replace) || !isPhpArray(conflict)) return false;
  const conflictKeys = new Set(phpEntries(conflict).map(([key]) => key));
  return phpEntries(replace).some(([key]) => conflictKeys.has(key));
}

export function checkSuggest(v: Checker): void {
  if (!v.validateArray("suggest")) return;
  const suggest: JsonObject = Object.fromEntries(phpEntries(v.get("suggest") as PhpArray));
  v.config.suggest = suggest;
  for (const [target, reason] of phpEntries(suggest)) {
    if (typeof reason !== "string") {
      v.error(`suggest.${target} : invalid value, must be a string describing why the package is suggested`);
      unsetKey(suggest, target);
    }
  }
}

/** extra.branch-alias: each alias must be a parseable "-dev" version matching its branch. */
export function checkBranchAliases(v: Checker): void {
  const extra = v.get("extra");
  if (!isJsonObject(extra) || !isSet(extra["branch-alias"])) return;
  const aliases = extra["branch-alias"];
  if (!isPhpArray(aliases)) {
    v.error("extra.branch-alias : must be an array of versions => aliases");
    return;
  }
  for (const [sourceBranch, target] of phpEntries(aliases)) {
    const problem = branchAliasProblem(sourceBranch, target);
    if (problem) {
      v.warn(`extra.branch-alias.${sourceBranch} : ${problem}`);
      unsetKey(aliases, sourceBranch);
    }
  }
  compact(extra, "branch-alias");
}

function branchAliasProblem(sourceBranch: string, target: unknown): string | null {
  if (typeof target !== "string") {
    return `the target branch (${JSON.stringify(target)}) must be a string, "${phpType(target)}" received.`;
  }
  if (!target.endsWith("-dev")) return `the target branch (${target}) must end in -dev`;
  if (!normalizeBranch(target.slice(0, -4)).endsWith("-dev")) {
    return `the target branch (${target}) must be a parseable number like 2.0-dev`;
  }
  const sourcePrefix = parseNumericAliasPrefix(sourceBranch);
  const targetPrefix = parseNumericAliasPrefix(target);
  if (sourcePrefix && targetPrefix && !asciiLower(targetPrefix).startsWith(asciiLower(sourcePrefix))) {
    return `the target branch (${target}) is not a valid numeric alias for this version`;
  }
  return null;
}
