// What a listing says about a package (description, type, newest version, counts), derived from
// the versions the reader may see: the newest release's text must not reach a customer whose
// grant stops below it.
import { isDevVersion } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { compareVersionsDesc } from "../composer-rules/version-sort.ts";

export interface PackageSummary {
  description: string | null;
  type: string | null;
  keywords: string[];
  homepage: string | null;
  /** The highest visible release, else null. */
  newest: string | null;
  versionCount: number;
  /** The default branch is visible: its README may be shown. */
  defaultBranchVisible: boolean;
}

/** The entry whose description and type describe the package: the newest stable, else any. */
export function newestEntry(entries: readonly VersionEntry[]): VersionEntry | undefined {
  const byTime = [...entries].sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
  return byTime.find((entry) => !isDevVersion(entry.version_normalized)) ?? byTime[0];
}

export function summarize(visible: readonly VersionEntry[]): PackageSummary {
  const describing = newestEntry(visible);
  const releases = visible.filter((entry) => !isDevVersion(entry.version_normalized));
  const newest = releases.sort((a, b) => compareVersionsDesc(a.version_normalized, b.version_normalized))[0];
  return {
    description: describing?.description ?? null,
    type: describing?.type ?? null,
    keywords: describing?.keywords ?? [],
    homepage: describing?.homepage ?? null,
    newest: newest?.version ?? null,
    versionCount: visible.length,
    defaultBranchVisible: visible.some((entry) => entry["default-branch"] === true),
  };
}
