// How a tag or branch NAME becomes a Composer version, before any composer.json is read:
// composer/composer src/Composer/Repository/VcsRepository.php, initialize(), validateTag(),
// validateBranch(). The composer.json side of a tag (its own `version`) is in scan-repository.ts.
import { parseConstraints } from "../../../src/composer-rules/constraints.ts";
import { END, normalize, normalizeBranch } from "../../../src/composer-rules/version-parser.ts";

/** VersionParser::DEFAULT_BRANCH_ALIAS */
const DEFAULT_BRANCH_ALIAS = "9999999-dev";
const DEV_SUFFIX = new RegExp(`[.-]?dev${END}`, "i");
const DEV_AFFIXES = new RegExp(`^dev-|[.-]?dev${END}`, "gi");

/** `str_replace('release-', '', $tag)`: every occurrence, not only a prefix. */
export function tagVersionName(tag: string): string {
  return tag.replaceAll("release-", "");
}

/** validateTag(): the normalized version, or null when the name does not normalize. */
export function validateTag(name: string): string | null {
  try {
    return normalize(name);
  } catch {
    return null;
  }
}

/** `Preg::replace('{[.-]?dev$}i', '', $version)`: tag packages carry no -dev flag. */
export function withoutDevSuffix(version: string): string {
  return version.replace(DEV_SUFFIX, "");
}

/** `Preg::replace('{(^dev-|[.-]?dev$)}i', '', $normalized)` */
export function withoutDevAffixes(normalized: string): string {
  return normalized.replace(DEV_AFFIXES, "");
}

/** True for a normalized tag version that only differs from the stripped one by dev affixes. */
export function hasDevAffix(normalized: string): boolean {
  return new RegExp(DEV_AFFIXES.source, "i").test(normalized);
}

/**
 * validateBranch(): normalizeBranch(), then the result must survive constraint parsing (no
 * characters that mean something in a constraint, such as `,` or `|`).
 */
export function validateBranch(branch: string): string | null {
  try {
    const normalized = normalizeBranch(branch);
    parseConstraints(normalized);
    return normalized;
  } catch {
    return null;
  }
}

export interface BranchVersion {
  version: string;
  versionNormalized: string;
}

/**
 * The published version of a branch: `dev-<name>` for named branches, `1.x-dev` style for
 * numeric ones (a leading lowercase `v` is kept). `#` becomes `+` in named branches: Composer
 * 2.7.8+ (composer/composer#12042) does so because `dev-foo#bar` means "dev-foo at ref bar" in a
 * constraint, which made such branches impossible to require.
 */
export function branchVersion(branch: string, parsed: string): BranchVersion {
  if (parsed.startsWith("dev-") || parsed === DEFAULT_BRANCH_ALIAS) {
    return { version: `dev-${branch.replaceAll("#", "+")}`, versionNormalized: parsed.replaceAll("#", "+") };
  }
  const prefix = branch.startsWith("v") ? "v" : "";
  return { version: prefix + parsed.replace(/(?:\.9{7})+/g, ".x"), versionNormalized: parsed };
}

/**
 * Names GitDriver::getBranches() never reports: a leading `-` (`$match[1][0] !== '-'`) and
 * `<name>/HEAD` (its `{^ *[^/]+/HEAD }` filter meant for symbolic remote HEADs).
 */
export function gitDriverIgnoresBranch(branch: string): boolean {
  return branch.startsWith("-") || /^[^/]+\/HEAD$/.test(branch);
}

/**
 * Branches packagist.org skips and Composer does not: bots' pull-request branches, merge
 * queues and GitHub Pages. Satchel's worker skips them by default (option skipBotBranches).
 */
export function isBotBranch(branch: string): boolean {
  return (
    branch.startsWith("dependabot/") ||
    branch.startsWith("renovate/") ||
    branch.startsWith("gh-readonly-queue/") ||
    branch === "gh-pages"
  );
}
