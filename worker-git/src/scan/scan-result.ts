// What a scan produces: the versions Composer would see, and every ref it skipped with why.
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";

export interface SkippedRef {
  kind: "tag" | "branch";
  name: string;
  reason: string;
}

export interface ScannedVersion {
  /** The published entry, expanded. `dist.url` is a placeholder until the edge serves it. */
  entry: VersionEntry;
  kind: "tag" | "branch";
  ref: string;
  commit: string;
  /** What the zipball is stored and served under: the commit, or a URL-safe stand-in (svn). */
  distReference: string;
  /** composer.json `archive.exclude`, needed to build the zipball. */
  archiveExcludes: string[];
}

export interface ScanResult {
  versions: ScannedVersion[];
  skipped: SkippedRef[];
  defaultBranch: string;
  /** The default branch's commit, where the package page's README is read; absent when the branch is missing or ignored. */
  defaultCommit?: string;
}
