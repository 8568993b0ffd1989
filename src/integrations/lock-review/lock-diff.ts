// What a pull request changes in composer.lock: packages added, removed, upgraded and
// downgraded, compared with Composer's own version ordering (version_compare on normalized
// versions, as Composer's VersionParser + Comparator do). A reference change at the same
// version (a branch that moved) counts as an upgrade.
import { phpVersionCompare } from "../../composer-rules/version-compare.ts";
import { normalize } from "../../composer-rules/version-parser.ts";
import type { LockedPackage } from "../security/lock-file.ts";

export interface VersionChange {
  name: string;
  from: LockedPackage;
  to: LockedPackage;
  /** The first number of the version moved (1.x → 2.x). */
  major: boolean;
}

export interface LockDiff {
  added: LockedPackage[];
  removed: LockedPackage[];
  upgraded: VersionChange[];
  downgraded: VersionChange[];
}

export function diffLocks(base: LockedPackage[], head: LockedPackage[]): LockDiff {
  const before = new Map(base.map((entry) => [entry.name, entry]));
  const after = new Map(head.map((entry) => [entry.name, entry]));
  const diff: LockDiff = { added: [], removed: [], upgraded: [], downgraded: [] };
  for (const [name, to] of after) {
    const from = before.get(name);
    if (!from) {
      diff.added.push(to);
      continue;
    }
    if (from.version === to.version && from.reference === to.reference) continue;
    const order = compareVersions(from.version, to.version);
    const change = { name, from, to, major: order !== 0 && majorOf(from.version) !== majorOf(to.version) };
    (order > 0 ? diff.downgraded : diff.upgraded).push(change);
  }
  for (const [name, from] of before) if (!after.has(name)) diff.removed.push(from);
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const list of [diff.added, diff.removed, diff.upgraded, diff.downgraded] as { name: string }[][]) list.sort(byName);
  return diff;
}

export function isEmptyDiff(diff: LockDiff): boolean {
  return diff.added.length + diff.removed.length + diff.upgraded.length + diff.downgraded.length === 0;
}

/** -1, 0 or 1 as Composer orders the two versions; versions it cannot parse compare as strings. */
export function compareVersions(a: string, b: string): number {
  try {
    return phpVersionCompare(normalize(a), normalize(b));
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

function majorOf(version: string): string {
  try {
    const normalized = normalize(version);
    return normalized.startsWith("dev-") ? normalized : normalized.split(".")[0];
  } catch {
    return version;
  }
}
