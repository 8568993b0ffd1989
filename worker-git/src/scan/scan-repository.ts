// The versions a repository yields, exactly as Composer's VcsRepository::initialize() finds
// them (composer/composer src/Composer/Repository/VcsRepository.php) with the loader Packagist's
// updater sets on it (load-version.ts): tags first, in the driver's order, first of two equal
// normalized versions wins; then branches, the default branch first. Every ref that yields
// nothing is recorded with the reason. The driver must be open; this never closes it.
//
// Where Satchel departs from VcsRepository + ArrayDumper, and why:
// - Validation: Packagist's ValidatingArrayLoader (flags 0). Bare Composer validates nothing.
// - Bot branches (dependabot/, renovate/, gh-readonly-queue/, gh-pages) are skipped, as
//   packagist.org does (option skipBotBranches); Composer reads them.
// - A composer.json `source`/`dist` is validated but never published: we publish our own, as
//   Packagist publishes its VcsRepository's.
// - Values Composer would crash on are skips with a reason (validate-composer-json.ts).
// - `#` in branch names becomes `+`, as in Composer 2.7.8+ (Debian's Composer predates it).
// - Each distinct composer.json blob is decoded and validated once (load-version.ts), and
//   remembered between scans (scan-cache.ts); Composer loads every ref on its own. The result
//   is the same: the cache key holds everything validation depends on.
// - Reuse (`previous`) is Packagist's VersionCache (getCachedPackageVersion): same version, same
//   commit, same package name. Packagist also clears the root identifier's cache entry on every
//   update, to notice `abandoned`; here the default branch's composer.json is read on every
//   scan anyway, and an unmoved commit cannot have changed it.
// - Packagist fails the whole update after storing it when a branch was refused
//   (hadInvalidBranches(): "Some branches contained invalid data"); Satchel publishes and lists
//   the refused branch among the skipped refs, with its reason.
// - Packagist's Updater drops a second version with the same lowercased normalized version
//   ("duplicate of"); the scan lists both as Composer does, and the worker keeps Packagist's
//   one before publishing (one-per-version.ts).
import type { GitRef, RepositoryDriver } from "../drivers/driver.ts";
import type { ScanResult, ScannedVersion, SkippedRef } from "./scan-result.ts";
import { Constraint, parseConstraints, type ConstraintInterface } from "../../../src/composer-rules/constraints.ts";
import { isPhpArray, isSet, phpEmpty, phpString, type JsonObject } from "../../../src/composer-rules/php-values.ts";
import { normalize } from "../../../src/composer-rules/version-parser.ts";
import { TagIndex } from "./tag-index.ts";
import { ComposerReader } from "./composer-reader.ts";
import { loadVersion, type RefFacts } from "./load-version.ts";
import { ScanCache } from "./scan-cache.ts";
import { findReusable, indexPrevious, refreshEntry, type PreviousVersions } from "./previous-versions.ts";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import {
  branchVersion, type BranchVersion, gitDriverIgnoresBranch, hasDevAffix, isBotBranch, tagVersionName, validateBranch,
  validateTag, withoutDevAffixes, withoutDevSuffix,
} from "./ref-versions.ts";

export interface ScanOptions {
  /** The `source.url` published for every version, exactly as the package names its repository. */
  sourceUrl: string;
  /** The dist URL of a version; defaults to the edge's placeholder form (replaced when published). */
  distUrl?: (ref: string, commit: string, name: string) => string;
  /** Entries published before: reused without reading composer.json when version and commit match. */
  previous?: PreviousVersions;
  /** Skip dependabot/, renovate/, gh-readonly-queue/ and gh-pages as packagist.org does (default true). */
  skipBotBranches?: boolean;
  /** The scan cache file; defaults to the driver's (next to its mirror), null for none. */
  cachePath?: string | null;
  /**
   * A mono-repository's package: the directory whose composer.json it is. Its versions come from
   * all the repository's refs, and have no `source` (installing from source would bring the
   * whole repository).
   */
  subdirectory?: string;
  /** "Now" for Composer's recent-release license check. */
  now?: Date;
  onProgress?: (message: string) => void;
}

/** Up to this many commits to read, an incremental scan leaves the scan cache file alone. */
const FEW_COMMITS = 32;

/** The edge's own dist URL form (src/jobs/publish-versions.ts rewrites it on publish anyway). */
export const defaultDistUrl = (_ref: string, commit: string, name: string) => `%SATCHEL_BASE%/zipball/${name}/${commit}.zip`;

interface TagPlan {
  ref: GitRef;
  /** The name with every `release-` removed. */
  name: string;
  /** Its normalized version, null when it does not normalize. */
  parsed: string | null;
  /** The version it publishes unless composer.json says otherwise (the version cache key). */
  version: string;
}

interface BranchPlan {
  ref: GitRef;
  skip: string | null;
  version: BranchVersion | null;
}

export async function scanRepository(driver: RepositoryDriver, options: ScanOptions): Promise<ScanResult> {
  const progress = options.onProgress ?? (() => {});
  const [defaultBranch, tags, allBranches] = await Promise.all([driver.defaultBranch(), driver.tags(), driver.branches()]);
  const skipped: SkippedRef[] = [];
  const skip = (kind: "tag" | "branch", name: string, reason: string) => skipped.push({ kind, name, reason });
  const branches: GitRef[] = [];
  for (const branch of allBranches) {
    if (gitDriverIgnoresBranch(branch.name)) skip("branch", branch.name, "Composer's git driver does not list this branch name");
    else branches.push(branch);
  }
  const tagPlans: TagPlan[] = tags.map((ref) => {
    const name = tagVersionName(ref.name);
    return { ref, name, parsed: validateTag(name), version: withoutDevSuffix(name) };
  });
  const branchPlans = new Map<GitRef, BranchPlan>(branches.map((ref) => [ref, planBranch(ref, options.skipBotBranches ?? true)]));
  const previous = indexPrevious(options.previous);
  // An incremental scan reads a few new commits: loading and rewriting the whole cache file
  // would cost more than it saves, unless many refs moved.
  // The cache holds the root composer.json by commit: a mono-repository package keeps its own in memory.
  const cachePath = options.subdirectory !== undefined ? null : options.cachePath === undefined ? driver.scanCachePath : options.cachePath;
  const cache = await ScanCache.open(previous.size > 0 ? null : cachePath);
  const reader = new ComposerReader(driver, cache, options.subdirectory === undefined ? "composer.json" : `${options.subdirectory}/composer.json`);
  const now = options.now ?? new Date();
  const unchanged = (version: string, commit: string, name: unknown) => findReusable(previous, version, commit, name) !== undefined;
  // Tags and branches whose name yields a version, and which cannot be reused.
  const toRead = (name: unknown) => [
    ...tagPlans.filter((p) => p.parsed !== null && !unchanged(p.version, p.ref.commit, name)).map((p) => p.ref.commit),
    ...[...branchPlans.values()].filter((p) => p.version && !unchanged(p.version.version, p.ref.commit, name)).map((p) => p.ref.commit),
  ];

  // The default branch's composer.json names the package for every version (preProcess()). A
  // full scan reads it with everything else; an incremental one first, to know what is reusable.
  // svn and hg name a revision instead (Composer's getRootIdentifier()): then no branch is the default one.
  const rootRevision = driver.rootRevision ? await driver.rootRevision() : undefined;
  const root = rootRevision === undefined ? branches.find((branch) => branch.name === defaultBranch) : undefined;
  const rootCommit = root?.commit ?? rootRevision ?? undefined;
  if (previous.size === 0) await reader.load([...(rootCommit ? [rootCommit] : []), ...toRead(null)]);
  else if (rootCommit) await reader.load([rootCommit]);
  const rootInfo = rootCommit ? await reader.info(rootCommit) : undefined;
  const rootData = rootInfo?.kind === "data" ? rootInfo.data : undefined;
  const packageName = rootData && !phpEmpty(rootData.name) ? rootData.name : null;
  if (previous.size > 0) {
    const moved = toRead(packageName);
    if (moved.length > FEW_COMMITS) await cache.attach(cachePath);
    await reader.load(moved);
  }
  progress(`Read composer.json at ${reader.size} commits`);
  const refCommits = [...tags, ...branches].map((ref) => ref.commit);
  await reader.loadDates(refCommits);

  const facts = (ref: string, commit: string): RefFacts => ({
    packageName,
    source: { type: driver.source.type, url: options.sourceUrl, reference: commit },
    distReference: driver.distReference?.(commit) ?? commit,
    distUrl: (name: string) => (options.distUrl ?? defaultDistUrl)(ref, driver.distReference?.(commit) ?? commit, name),
    now,
  });
  const versions: ScannedVersion[] = [];
  const published = new TagIndex();

  for (const { ref: tag, name, parsed: parsedTag, version: cacheVersion } of tagPlans) {
    const reused = findReusable(previous, cacheVersion, tag.commit, packageName);
    if (reused) {
      const existing = published.find(reused.name, new Constraint("==", reused.version_normalized));
      // A cached version that conflicts is read again by Composer, and meets the same conflict.
      if (existing) skip("tag", tag.name, conflictReason(existing.version, reused.version_normalized));
      else {
        published.add(reused.name, reused.version, reused.version_normalized);
        versions.push(reuse(reused, "tag", tag, facts(tag.name, tag.commit), false));
      }
      continue;
    }
    if (parsedTag === null) {
      skip("tag", tag.name, `invalid version name "${name}"`);
      continue;
    }
    const blob = await reader.blob(tag.commit);
    if (typeof blob === "string") {
      skip("tag", tag.name, blob);
      continue;
    }
    const data = blob.data;
    // A manually versioned package: composer.json `version` must agree with the tag.
    let version = name;
    let normalized = parsedTag;
    if (isSet(data.version)) {
      if (isPhpArray(data.version)) {
        skip("tag", tag.name, "composer.json `version` is not a string");
        continue;
      }
      version = phpString(data.version as string | number | boolean);
      try {
        normalized = normalize(version);
      } catch (e) {
        skip("tag", tag.name, `composer.json \`version\` is invalid: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
    }
    version = withoutDevSuffix(version);
    normalized = withoutDevAffixes(normalized);
    if (normalized !== parsedTag) {
      skip("tag", tag.name, hasDevAffix(parsedTag)
        ? "invalid tag name, tags can not use dev prefixes or suffixes"
        : `tag (${parsedTag}) does not match version (${normalized}) in composer.json`);
      continue;
    }
    const tagPackageName = packageName ?? (typeof data.name === "string" ? data.name : "");
    let constraint: ConstraintInterface;
    try {
      constraint = parseConstraints(normalized);
    } catch (e) {
      skip("tag", tag.name, e instanceof Error ? e.message : String(e));
      continue;
    }
    const existing = published.find(String(tagPackageName), constraint);
    if (existing) {
      skip("tag", tag.name, conflictReason(existing.version, normalized));
      continue;
    }
    const loaded = loadVersion(blob, { ...facts(tag.name, tag.commit), kind: "tag", version, versionNormalized: normalized, isDefaultBranch: false, commitTime: blob.time }, cache);
    if (typeof loaded === "string") {
      skip("tag", tag.name, loaded);
      continue;
    }
    published.add(loaded.entry.name, version, normalized);
    versions.push({ ...loaded, kind: "tag", ref: tag.name, commit: tag.commit, distReference: loaded.entry.dist?.reference ?? tag.commit });
  }

  // "make sure the root identifier branch gets loaded first"
  const ordered = rootData && root ? [root, ...branches.filter((branch) => branch !== root)] : branches;
  for (const branch of ordered) {
    const plan = branchPlans.get(branch) as BranchPlan;
    if (plan.skip !== null || plan.version === null) {
      skip("branch", branch.name, plan.skip ?? "invalid branch name");
      continue;
    }
    const { version, versionNormalized } = plan.version;
    const isDefaultBranch = root !== undefined && branch.name === defaultBranch;
    const reused = findReusable(previous, version, branch.commit, packageName);
    if (reused) {
      versions.push(reuse(reused, "branch", branch, facts(branch.name, branch.commit), isDefaultBranch));
      continue;
    }
    const blob = await reader.blob(branch.commit);
    if (typeof blob === "string") {
      skip("branch", branch.name, blob);
      continue;
    }
    const loaded = loadVersion(blob, { ...facts(branch.name, branch.commit), kind: "branch", version, versionNormalized, isDefaultBranch, commitTime: blob.time }, cache);
    if (typeof loaded === "string") skip("branch", branch.name, loaded);
    else versions.push({ ...loaded, kind: "branch", ref: branch.name, commit: branch.commit, distReference: loaded.entry.dist?.reference ?? branch.commit });
  }
  progress(`${versions.length} versions, ${skipped.length} refs skipped`);
  await cache.save(refCommits);
  if (options.subdirectory !== undefined) for (const version of versions) delete version.entry.source;
  return { versions, skipped, defaultBranch, ...(rootCommit ? { defaultCommit: rootCommit } : {}) };
}

function planBranch(ref: GitRef, skipBotBranches: boolean): BranchPlan {
  if (skipBotBranches && isBotBranch(ref.name)) return { ref, skip: "a bot's branch (skipped as packagist.org does)", version: null };
  const parsed = validateBranch(ref.name);
  if (parsed === null) return { ref, skip: "invalid branch name", version: null };
  return { ref, skip: null, version: branchVersion(ref.name, parsed) };
}

function conflictReason(existing: string, normalized: string): string {
  return `it conflicts with another tag (${existing}) as both resolve to ${normalized} internally`;
}

/** A reused entry (its zip is on the edge already: no archive excludes are known for it). */
function reuse(entry: VersionEntry, kind: "tag" | "branch", ref: GitRef, facts: RefFacts, isDefaultBranch: boolean): ScannedVersion {
  const dist = { type: "zip" as const, url: facts.distUrl(entry.name), reference: facts.distReference, shasum: "" };
  return { entry: refreshEntry(entry, { source: facts.source, dist, isDefaultBranch }), kind, ref: ref.name, commit: ref.commit, distReference: facts.distReference, archiveExcludes: [] };
}
