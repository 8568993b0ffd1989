// Publish times read from the version rows, for p2 documents stored before their publish
// times were kept beside them (they get theirs at the package's next publish).
import { publishedTimesOf, type PublishedTimes } from "../acl/published-at.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { Database } from "../ports.ts";
import { findPackage, versionDocuments } from "./package-store.ts";

export function rowPublishedTimes(db: Database): (packageId: number) => Promise<PublishedTimes> {
  return async (packageId) => {
    const pkg = await findPackage(db, packageId);
    const rows = await versionDocuments(db, packageId);
    return publishedTimesOf(pkg?.kind ?? "artifact", rows.map((row) => ({ entry: JSON.parse(row.data) as VersionEntry, createdAt: row.createdAt })));
  };
}
