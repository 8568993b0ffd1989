// Incremental scans: a version published before for the same ref at the same commit is reused
// without reading its composer.json again (what Composer's VersionCacheInterface does for
// Packagist, VcsRepository::getCachedPackageVersion()). Only the repository facts that can change
// without a new commit are refreshed: source/dist URLs and the default-branch marker.
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";

/** A published entry paired with the ref it came from (only the entry is needed). */
export interface PreviousVersion {
  kind: "tag" | "branch";
  ref: string;
  commit: string;
  entry: VersionEntry;
}

/**
 * Entries published before, as a list or a Map (whose keys are ignored). Each is found again
 * by its own `version` and commit (`source.reference`): the pair Composer's version cache uses.
 */
export type PreviousVersions = Iterable<VersionEntry | PreviousVersion> | ReadonlyMap<string, VersionEntry>;

export type PreviousIndex = Map<string, VersionEntry>;

const keyOf = (version: string, commit: string) => `${version}\n${commit}`;

export function indexPrevious(previous: PreviousVersions | undefined): PreviousIndex {
  const index: PreviousIndex = new Map();
  const items: Iterable<VersionEntry | PreviousVersion> = previous instanceof Map ? previous.values() : (previous as Iterable<VersionEntry | PreviousVersion> | undefined) ?? [];
  for (const item of items) {
    const entry = "entry" in item ? item.entry : item;
    const commit = "entry" in item ? item.commit : (entry.source?.reference ?? entry.dist?.reference);
    if (typeof entry.version === "string" && typeof commit === "string") index.set(keyOf(entry.version, commit), entry);
  }
  return index;
}

/**
 * The entry published for this version at this commit, when it is still what a full read would
 * give: same commit (same composer.json), and built under the same package name. The default
 * branch names every version, so a rename must re-read (validation depends on the name); without
 * a name there (each ref then names itself) nothing can be known without reading.
 */
export function findReusable(index: PreviousIndex, version: string, commit: string, packageName: unknown): VersionEntry | undefined {
  if (packageName === null) return undefined;
  const found = index.get(keyOf(version, commit));
  return found && found.name === packageName ? found : undefined;
}

// ArrayDumper/Packagist key order after "default-branch" (buildVersionEntry's order).
const KEYS_AFTER_DEFAULT_BRANCH = ["require", "require-dev", "suggest", "conflict", "provide", "replace", "abandoned"];

export interface RefreshFacts {
  source: { type: "git" | "svn" | "hg"; url: string; reference: string };
  dist: { type: "zip"; url: string; reference: string; shasum: string };
  isDefaultBranch: boolean;
}

/**
 * A copy of a reused entry with today's source, dist and default-branch marker, keys in order.
 * Only top-level keys change, so the copy shares the entry's nested values (read-only).
 */
export function refreshEntry(entry: VersionEntry, facts: RefreshFacts): VersionEntry {
  const copy: Record<string, unknown> = { ...entry };
  copy.source = facts.source;
  copy.dist = facts.dist;
  delete copy["default-branch"];
  if (!facts.isDefaultBranch) return copy as VersionEntry;
  const ordered: Record<string, unknown> = {};
  let inserted = false;
  for (const [key, value] of Object.entries(copy)) {
    if (!inserted && KEYS_AFTER_DEFAULT_BRANCH.includes(key)) {
      ordered["default-branch"] = true;
      inserted = true;
    }
    ordered[key] = value;
  }
  if (!inserted) ordered["default-branch"] = true;
  return ordered as VersionEntry;
}
